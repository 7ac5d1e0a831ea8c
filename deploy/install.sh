#!/usr/bin/env bash
# 第 1 步：安装软件（以 root 运行，可重复运行）。
#   bash deploy/install.sh {{ prefix }}        例：bash deploy/install.sh /opt/trainkit
# 在 {{ prefix }} 下建立：
#   venv/   Debian 自带 Python 3.11 的虚拟环境：trainkit[hub]（JupyterHub、nbgrader、JupyterLab、空闲回收、nbgitpuller、psycopg）
#   node/   configurable-http-proxy（npm 包，JupyterHub 的代理）
# 缺少的 Debian 软件包（python3-venv、git、nodejs/npm、postgresql）会先用 apt-get 装上。
# 单用户服务器以各学员自己的 Unix 账户运行，所以 Python 必须是所有账户都能读的系统 Python，而不是 root 家目录里的。
set -euo pipefail
prefix="${1:?用法: install.sh 安装目录，例如 /opt/trainkit}"
kit="$(cd "$(dirname "$0")/.." && pwd)"
CHP_VERSION=5.3.0
umask 022

need=()
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
command -v git >/dev/null || need+=(git)
command -v npm >/dev/null || need+=(nodejs npm)
command -v pg_lsclusters >/dev/null || need+=(postgresql)
if [ "${#need[@]}" -gt 0 ]; then
  echo "安装 Debian 软件包：${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p "$prefix"
chmod 755 "$prefix"
if [ ! -x "$prefix/venv/bin/python" ]; then
  /usr/bin/python3 -m venv "$prefix/venv"
fi
"$prefix/venv/bin/python" -m pip install --quiet --upgrade pip
# 不是可编辑安装：服务器上的软件与源码目录无关，升级时重新运行本脚本即可（见 deploy/README.md“升级”）。
"$prefix/venv/bin/python" -m pip install --quiet "$kit[hub]"
# pip keeps an installed trainkit of the same version: always put this source's own in place.
"$prefix/venv/bin/python" -m pip install --quiet --no-deps --force-reinstall "$kit"

if [ ! -x "$prefix/node/node_modules/.bin/configurable-http-proxy" ] ||
   [ "$(cd "$prefix/node" && npm ls configurable-http-proxy --depth=0 2>/dev/null | grep -o "configurable-http-proxy@[0-9.]*")" != "configurable-http-proxy@$CHP_VERSION" ]; then
  mkdir -p "$prefix/node"
  npm install --silent --no-audit --no-fund --prefix "$prefix/node" "configurable-http-proxy@$CHP_VERSION" >/dev/null
fi
ln -sf "$prefix/node/node_modules/.bin/configurable-http-proxy" "$prefix/venv/bin/configurable-http-proxy"

"$prefix/venv/bin/jupyterhub" --version >/dev/null
"$prefix/venv/bin/configurable-http-proxy" --version >/dev/null
echo "已安装：$("$prefix/venv/bin/python" -c 'import jupyterhub, nbgrader, jupyterlab; print(f"JupyterHub {jupyterhub.__version__}, nbgrader {nbgrader.__version__}, JupyterLab {jupyterlab.__version__}")')，configurable-http-proxy $("$prefix/venv/bin/configurable-http-proxy" --version)"
echo "下一步：编辑站点配置（deploy/site.example.toml），然后运行 deploy/setup.py（见 deploy/README.md）。"
