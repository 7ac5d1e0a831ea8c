#!/usr/bin/env bash
# make hub：在本机 127.0.0.1 上试用区级部署（以 root 运行：要建 Unix 账户 px01、sq01–sq03、grader-trial）。
# 与正式部署走同样的三步（deploy/README.md）：install.sh → setup.py → trainkit-hub，只是配置换成 deploy/trial/。
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" != 0 ]; then
  echo "试用部署须以 root 运行（要建 Unix 账户和数据库角色）：切换到 root 后运行 make hub" >&2
  exit 1
fi
prefix="${TRAINKIT_TRIAL_PREFIX:-/opt/trainkit-trial}"
bash "$here/install.sh" "$prefix"

# Debian 的 PostgreSQL：没有就装上，并启动第一个集群。
if ! command -v pg_lsclusters >/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
read -r version cluster port _ < <(pg_lsclusters --no-header | head -n 1)
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true

export TRAINKIT_TRIAL_PREFIX="$prefix" TRAINKIT_TRIAL_ROSTER="$here/trial/roster.csv"
export TRAINKIT_TRIAL_PG_PORT="$port" TRAINKIT_TRIAL_PORT="${TRAINKIT_TRIAL_PORT:-8000}"
"$prefix/venv/bin/python" "$here/setup.py" --site "$here/trial/site.toml"

export TRAINKIT_HUB_PASSWORD="${TRAINKIT_HUB_PASSWORD:-trainkit-trial}"
echo
echo "试用 Hub：http://127.0.0.1:$TRAINKIT_TRIAL_PORT/ （Ctrl-C 停止）"
echo "  培训师 px01；学员 sq01、sq02、sq03；共用口令 $TRAINKIT_HUB_PASSWORD"
echo "  培训师登录后，首页“评分（Formgrader）”在新标签页打开评分界面。"
exec "$prefix/bin/trainkit-hub"
