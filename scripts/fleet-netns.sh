#!/usr/bin/env bash
# fleet-netns.sh: a Skirmish fleet across three "hosts" (network
# namespaces on one bridge, 10.88.0.0/24), loaded by the bench from the
# root namespace. It checks matchmaking and the room list on each server,
# runs bench bots seated with tickets (-match), drains one server through
# its admin listener while they play, SIGKILLs another, and times how long
# the fleet takes to forget the dead one and to match without it.
#
# Root only (ip netns, veth). Everything it makes (namespaces, links,
# processes, files) goes when it exits, by a trap; it gives up after
# FLEET_NETNS_TIMEOUT seconds (default 150). SKSERVER and SKBENCH name
# prebuilt binaries; otherwise it builds them (go build ./server, ./bench).
#
#   sudo bash scripts/fleet-netns.sh
set -euo pipefail

limit=${FLEET_NETNS_TIMEOUT:-150}
if [[ -z ${FLEET_NETNS_BOUNDED:-} ]]; then
	# The whole run under one deadline; the TERM runs the cleanup below.
	FLEET_NETNS_BOUNDED=1 exec timeout -s TERM "$limit" bash "$0" "$@"
fi
[[ $(id -u) == 0 ]] || { echo "fleet-netns: run as root (ip netns)" >&2; exit 1; }
for tool in ip curl jq; do
	command -v "$tool" >/dev/null || { echo "fleet-netns: needs $tool" >&2; exit 1; }
done

net=10.88.0
tag=skf$(printf '%04x' $((RANDOM % 65536))) # names of its own: other runs may be up
bridge=${tag}br
names=(a b c)
work=$(mktemp -d /tmp/fleet-netns.XXXXXX)
declare -A pid srv # each server's timeout wrapper and the server itself

if ip route | grep -q "^$net\."; then
	echo "fleet-netns: $net.0/24 is already routed here; not touching it" >&2
	exit 1
fi

cleanup() {
	set +e
	trap - ERR
	disown -a # killed below: no job notices
	local left=() p
	for p in "${srv[@]}" "${pid[@]}" ${benchpid:-}; do
		kill -KILL "$p" 2>/dev/null && left+=("$p")
	done
	for _ in $(seq 40); do # until they are gone, at most 2 s
		for p in "${left[@]}"; do kill -0 "$p" 2>/dev/null && break; p=; done
		[[ -z ${p:-} ]] && break
		sleep 0.05
	done
	for n in "${names[@]}"; do ip netns del "$tag-$n" 2>/dev/null; done
	ip link del "$bridge" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "fleet-netns: stopped (interrupted, or past ${limit}s)" >&2; exit 130' INT TERM
trap 'echo "fleet-netns: failed at line $LINENO; server logs in the lines below" >&2; tail -n 5 "$work"/*.log "$work"/bench.* >&2' ERR

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }
# await DESC SECONDS CMD...: run CMD every 50 ms until it succeeds.
await() {
	local desc=$1 within=$2 start
	shift 2
	start=$(now)
	until "$@" >/dev/null 2>&1; do
		if awk -v a="$start" -v b="$(now)" -v w="$within" 'BEGIN { exit !(b - a > w) }'; then
			echo "fleet-netns: $desc: not within ${within}s" >&2
			return 1
		fi
		sleep 0.05
	done
}

server_bin=${SKSERVER:-}
bench_bin=${SKBENCH:-}
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z $server_bin || -z $bench_bin ]]; then
	echo "building server and bench..."
	(cd "$root" && go build -o "$work/skserver" ./server && go build -o "$work/skbench" ./bench)
	server_bin=${server_bin:-$work/skserver} bench_bin=${bench_bin:-$work/skbench}
fi

# The hosts: 10.88.0.1-3 in namespaces, the root namespace at .254.
ip link add "$bridge" type bridge
ip addr add "$net.254/24" dev "$bridge"
ip link set "$bridge" up
for i in "${!names[@]}"; do
	n=${names[$i]} ns=$tag-${names[$i]}
	ip netns add "$ns"
	ip link add "$tag$n" type veth peer name eth0 netns "$ns"
	ip link set "$tag$n" master "$bridge" up
	ip -n "$ns" addr add "$net.$((i + 1))/24" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
done

head -c 48 /dev/urandom | base64 >"$work/fleet.key"
addr() { echo "$net.$(($1 + 1))"; }
for i in "${!names[@]}"; do
	n=${names[$i]} host=$(addr "$i") routes=()
	for j in "${!names[@]}"; do [[ $j != "$i" ]] && routes+=("$(addr "$j"):6222"); done
	# timeout: a server outlives no run, even one killed without its trap.
	ip netns exec "$tag-$n" timeout -s KILL "$limit" "$server_bin" -addr "$host:8080" -admin-addr "$host:9080" \
		-nats-embed -nats-listen "$host:6222" -nats-routes "$(IFS=,; echo "${routes[*]}")" \
		-public-url "ws://$host:8080/ws" -ticket-key "$work/fleet.key" -require-ticket \
		-fill-target 7 -drain-timeout 4s -fill-bots 0 -web "" \
		-match-rate-per-ip 50 -match-burst-per-ip 50 \
		>"$work/server-$n.log" 2>&1 &
	pid[$n]=$!
done
game() { echo "http://$(addr "$1"):8080"; }
admin() { echo "http://$(addr "$1"):9080"; }
servers_seen() { curl -sf --max-time 1 "$(game "$1")/rooms" | jq -e --argjson n "$2" '.servers | length == $n'; }

started=$(now)
for i in "${!names[@]}"; do
	n=${names[$i]}
	await "server $n healthy" 20 curl -sf --max-time 1 "$(admin "$i")/healthz"
	srv[$n]=$(pgrep -P "${pid[$n]}")
done
for i in "${!names[@]}"; do
	await "server ${names[$i]} sees the fleet" 20 servers_seen "$i" 3
done
echo "fleet up: every server's /rooms lists 3 servers $(since "$started") after start"

for i in "${!names[@]}"; do
	n=${names[$i]}
	echo "server $n ($(addr "$i")): GET /rooms -> $(curl -sf "$(game "$i")/rooms" | jq -c '[.servers[] | {url, players, draining}]')"
	m=$(curl -sf -XPOST "$(game "$i")/match" -d "{\"room\":\"netns-$n\"}")
	echo "server $n: POST /match {\"room\":\"netns-$n\"} -> url $(jq -r .url <<<"$m"), room $(jq -r .room <<<"$m"), ticket of $(jq -r '.ticket | length' <<<"$m") bytes"
done

"$bench_bin" -url "ws://$(addr 0):8080/ws" -match -bots 20 -ramp 2s -duration 10s -json "$work/bench.json" \
	>"$work/bench.out" 2>"$work/bench.err" &
benchpid=$!
players() { curl -sf --max-time 1 "$(admin "$1")/healthz" | jq -r .players; }
all_seated() { (($(players 0) + $(players 1) + $(players 2) >= 20)); }
await "the bench's bots seated" 15 all_seated
echo "bench: 20 bots seated over the fleet: a $(players 0), b $(players 1), c $(players 2)"

# Drain b and, while its games go on, kill c: b hears nothing from c any
# more, and no match goes through b to take c out sooner, so b's room list
# shows the silence timeout; a's shows a's matches finding c gone.
drained=$(now)
curl -sf -XPOST "$(admin 1)/admin/drain" >/dev/null
echo "POST /admin/drain on b"
disown "${pid[c]}" # its timeout wrapper dies of the same signal: no job notice
kill -KILL "${srv[c]}"
killed=$(now)
echo "SIGKILL c"
unset 'pid[c]' 'srv[c]'
match_ok() {
	local u
	u=$(curl -sf --max-time 2 -XPOST "$(game 0)/match" -d '{}' | jq -r .url) && [[ $u == *"$(addr 0)"* ]]
}
await "a matches without b and c" 5 match_ok
echo "POST /match on a seats a player on a $(since "$killed") after the kill"
forgot() { ! curl -sf --max-time 1 "$(game "$1")/rooms" | jq -e --arg u "ws://$(addr 2):8080/ws" '.servers[] | select(.url == $u)'; }
await "a's /rooms drops c" 10 forgot 0
# The first seat request no one answers takes c out of a's directory at
# once (the bots' own rematches, or the match above)...
echo "a's /rooms drops c $(since "$killed") after the kill"
await "b's /rooms drops c" 10 forgot 1
# ...and its silence takes it out of every other server's within the 3 s
# peer timeout.
echo "b's /rooms (no matches through it) drops c $(since "$killed") after the kill"
b_gone() { ! kill -0 "${srv[b]}" 2>/dev/null; }
await "b exits after its drain" 10 b_gone
wait "${pid[b]}" && code=0 || code=$?
unset 'pid[b]' 'srv[b]'
echo "b drained and exited ($code) $(since "$drained") after the drain"
on_a() { (($(players 0) >= 20)); }
await "every bot on a" 5 on_a
echo "all 20 bots on a $(since "$drained") after the drain"

wait "$benchpid" || echo "bench exited $?"
unset benchpid
echo "bench report:"
sed 's/^/  /' "$work/bench.out"
