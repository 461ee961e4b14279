#!/bin/sh
# ensure-redis.sh URL: make sure a Redis server answers at URL (redis://host:port/...).
# Used by `make test` and `make bench`: on a fresh machine it installs
# redis-server from the distribution and starts a throwaway instance that
# keeps nothing on disk.
set -eu
url=${1:-redis://127.0.0.1:6379}
hostport=${url#*://}
hostport=${hostport#*@}
hostport=${hostport%%/*}
host=${hostport%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=6379

ping() {
	if command -v redis-cli >/dev/null 2>&1; then
		redis-cli -h "$host" -p "$port" ping 2>/dev/null | grep -q PONG
	else
		# No client: speak RESP over bash's /dev/tcp.
		bash -c "exec 3<>/dev/tcp/$host/$port && printf 'PING\r\n' >&3 && head -c 5 <&3" 2>/dev/null | grep -q PONG
	fi
}

ping && exit 0
case "$host" in
127.0.0.1|localhost|::1) ;;
*) echo "ensure-redis: no Redis answers at $host:$port and it is not local; start one" >&2; exit 1 ;;
esac
if ! command -v redis-server >/dev/null 2>&1; then
	echo "ensure-redis: installing redis-server" >&2
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
echo "ensure-redis: starting redis-server on $host:$port" >&2
redis-server --daemonize yes --bind "$host" --port "$port" --save "" --appendonly no \
	--dir /tmp --logfile /tmp/shiftward-test-redis.log
for _ in $(seq 1 50); do
	ping && exit 0
	sleep 0.1
done
echo "ensure-redis: redis-server did not answer on $host:$port" >&2
exit 1
