"""One look for every screen (widgets, reports, the app): small HTML helpers with a shared stylesheet. Everything is escaped."""

from __future__ import annotations

import re
from html import escape

__all__ = ["STATUS_BADGE", "STYLE", "badge", "card", "e", "link", "quoted"]

STYLE = """<style>
.tk{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.6;max-width:860px}
.tk-card{border:1px solid #d0d7de;border-radius:8px;padding:10px 14px;margin:6px 0;background:#fff}
.tk-ok{color:#1a7f37;font-weight:600}.tk-bad{color:#cf222e;font-weight:600}.tk-wait{color:#9a6700;font-weight:600}
.tk-muted{color:#57606a;font-size:90%}.tk-badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:85%;border:1px solid #d0d7de}
.tk-V{background:#dafbe1}.tk-S{background:#fff8c5}.tk-U{background:#ffebe9}
.tk table{border-collapse:collapse}.tk td,.tk th,.jp-RenderedHTMLCommon .tk :is(td,th){border:1px solid #d0d7de;
padding:4px 8px;text-align:left;vertical-align:top}
.tk th{background:#f6f8fa}.tk{overflow-x:auto}.tk a{color:#0969da}
.widget-button.tk-option,.jupyter-button.tk-option{white-space:normal;text-align:left;height:auto;min-height:44px;
line-height:1.45;padding:8px 12px;max-width:100%;overflow:visible;text-overflow:clip}
.tk svg.tk-chart{max-width:100%;height:auto}.tk .tk-lessons td:first-child{min-width:9em}
:is(.tk-item,.tk-answer-area) .widget-radio{width:auto;max-width:100%}
:is(.tk-item,.tk-answer-area) .widget-radio-box label{display:flex;align-items:center;height:auto;min-height:40px;
line-height:1.45;white-space:normal;overflow-wrap:anywhere;padding:2px 0}
:is(.tk-item,.tk-answer-area) .widget-radio-box input{flex:none;height:auto;float:none}
:is(.tk-item,.tk-answer-area) .widget-checkbox{width:auto;height:auto;max-width:100%}
:is(.tk-item,.tk-answer-area) .widget-checkbox .widget-label-basic{display:flex;align-items:center;min-height:40px;
line-height:1.45;white-space:normal;overflow:visible;overflow-wrap:anywhere}
:is(.tk-item,.tk-case,.tk-practice,.tk-contest) .jupyter-button{height:auto;min-height:40px;max-width:100%;
white-space:normal;line-height:1.3;padding-top:6px;padding-bottom:6px}
:is(.tk-item,.tk-case,.tk-practice,.tk-contest) .jupyter-widgets{max-width:100%}
:is(.tk-item,.tk-case,.tk-practice,.tk-contest) .widget-hbox{flex-wrap:wrap}
</style>"""

STATUS_BADGE = {"V": "V 已核实", "S": "S 二手来源", "U": "U 未核实"}


_FOLDED = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def e(text: object) -> str:
    """Escaped for HTML, without the spaces a folded YAML line leaves between two Chinese characters."""
    return escape(_FOLDED.sub("", str(text)))


def quoted(text: str) -> str:
    """``text`` in Chinese quotation marks, unless the author already put it in some."""
    text = text.strip()
    return text if text[:1] in '“「『"' and text[-1:] in '”」』"' else f"“{text}”"


def badge(status: str | None) -> str:
    if not status:
        return ""
    return f'<span class="tk-badge tk-{e(status)}">{e(STATUS_BADGE.get(status, status))}</span>'


def card(inner: str) -> str:
    return f'{STYLE}<div class="tk"><div class="tk-card">{inner}</div></div>'


def link(title: str, href: str | None) -> str:
    return f'<a href="{e(href)}" target="_blank" rel="noopener">{e(title)}</a>' if href else e(title)
