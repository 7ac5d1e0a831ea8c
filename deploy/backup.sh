#!/usr/bin/env bash
# 备份：证据库和每门课的成绩库各一个 pg_dump 文件（自定义格式，可用 pg_restore 恢复），加上课程目录。
#   bash deploy/backup.sh {{ prefix }} /var/backups/trainkit
# 建议每天由 cron 运行（见 deploy/README.md“备份与恢复”），并把备份目录再复制到另一台机器。
set -euo pipefail
prefix="${1:?用法: backup.sh 安装目录 备份目录}"
out="${2:?用法: backup.sh 安装目录 备份目录}"
site="$prefix/etc/site.json"
stamp="$(date +%Y%m%d-%H%M%S)"
dest="$out/$stamp"
mkdir -p "$dest"
chmod 700 "$out" "$dest"
read -r socket port dbs < <(/usr/bin/python3 - "$site" <<'EOF'
import json, sys
site = json.load(open(sys.argv[1], encoding="utf-8"))
pg = site["postgres"]
dbs = [pg["database"]] + [c["gradebook_db"] for c in site["courses"]]
print(pg["socket_dir"], pg["port"], ",".join(dbs))
EOF
)
for db in ${dbs//,/ }; do
  runuser -u postgres -- pg_dump -h "$socket" -p "$port" -Fc "$db" > "$dest/$db.dump"
done
# Course folders (sources, released and submitted notebooks, feedback) of each grader account.
/usr/bin/python3 - "$site" "$dest" <<'EOF'
import json, sys, tarfile
site = json.load(open(sys.argv[1], encoding="utf-8"))
for c in site["courses"]:
    with tarfile.open(f"{sys.argv[2]}/course-{c['id']}.tar.gz", "w:gz") as tar:
        tar.add(c["root"], arcname=c["id"])
EOF
echo "$dest"
