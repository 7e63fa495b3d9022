#!/usr/bin/env bash
# A Postfix instance of the tests' own, on loopback only, run from its own configuration
# directory (postfix -c DIR) with its own queue and data directories. It never reads or
# writes /etc/postfix and never stops or starts the machine's own Postfix.
#
#   127.0.0.1:2526 and [::1]:2526   plain SMTP with STARTTLS offered
#   127.0.0.1:2465                  implicit TLS (wrapper mode)
#
# Mail for alice@smtpx.test and bob@smtpx.test goes to Maildirs under $STATE/mail; other
# local users are unknown (550 5.1.1); other domains are not relayed.
#
# Usage: postfix.sh start|stop|status
#   SMTPX_POSTFIX_STATE   the instance's folder (default /tmp/smtpx-postfix)
#   SMTPX_POSTFIX_PORT, SMTPX_POSTFIX_TLS_PORT   its ports (2526, 2465)
#   SMTPX_POSTFIX_EXTRA   more main.cf lines (for instances that misbehave on purpose)
#   SMTPX_POSTFIX_CERT, SMTPX_POSTFIX_KEY   the certificate chain and key it serves (default: a
#                         self-signed one for mx.smtpx.test made here)
#   SMTPX_POSTFIX_NAME    its myhostname (default mx.smtpx.test)
set -euo pipefail
STATE=${SMTPX_POSTFIX_STATE:-/tmp/smtpx-postfix}
PORT=${SMTPX_POSTFIX_PORT:-2526}
TLS_PORT=${SMTPX_POSTFIX_TLS_PORT:-2465}
CONF=$STATE/conf
NAME=postfix-smtpx-$(basename "$STATE")

instance() { postfix -c "$CONF" "$@"; }

case "${1:-start}" in
stop)
  [ -f "$CONF/main.cf" ] && instance stop >/dev/null 2>&1 || true
  exit 0 ;;
status)
  instance status ;;
start) ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

command -v postfix >/dev/null || { echo "postfix is not installed" >&2; exit 1; }
[ -f "$CONF/main.cf" ] && instance stop >/dev/null 2>&1 || true

mkdir -p "$STATE/mail" "$STATE/tls" "$STATE/queue" "$STATE/data" "$CONF"
chown -R nobody:nogroup "$STATE/mail"
chown postfix "$STATE/data"
CERT=${SMTPX_POSTFIX_CERT:-$STATE/tls/cert.pem}
KEY=${SMTPX_POSTFIX_KEY:-$STATE/tls/key.pem}
if [ -z "${SMTPX_POSTFIX_CERT:-}" ] && [ ! -s "$STATE/tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx.smtpx.test" \
    -addext "subjectAltName=DNS:mx.smtpx.test" \
    -keyout "$STATE/tls/key.pem" -out "$STATE/tls/cert.pem" >/dev/null 2>&1
fi
printf 'alice@smtpx.test smtpx.test/alice/\nbob@smtpx.test smtpx.test/bob/\n' > "$STATE/vmailbox"

cat > "$CONF/main.cf" <<CONF
compatibility_level = 3.6
config_directory = $CONF
queue_directory = $STATE/queue
data_directory = $STATE/data
multi_instance_name = $NAME
syslog_name = $NAME
myhostname = ${SMTPX_POSTFIX_NAME:-mx.smtpx.test}
mydomain = smtpx.test
myorigin = \$mydomain
mydestination =
inet_interfaces = loopback-only
inet_protocols = all
mynetworks = 127.0.0.0/8 [::1]/128
smtpd_banner = \$myhostname ESMTP Postfix (smtpx test)
maillog_file_prefixes = $STATE
maillog_file = $STATE/postfix.log
alias_maps =
alias_database =
biff = no
relayhost =
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = reject_unauth_destination
virtual_mailbox_domains = smtpx.test
virtual_mailbox_base = $STATE/mail
virtual_mailbox_maps = texthash:$STATE/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
smtpd_tls_cert_file = $CERT
smtpd_tls_key_file = $KEY
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
message_size_limit = 10240000
${SMTPX_POSTFIX_EXTRA:-}
CONF

# Only the services an instance that receives mail needs; no pickup (nothing is posted
# locally) and the log goes to a file through postlogd.
cat > "$CONF/master.cf" <<CONF
127.0.0.1:$PORT inet n - n - - smtpd
[::1]:$PORT     inet n - n - - smtpd
127.0.0.1:$TLS_PORT inet n - n - - smtpd
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF

instance check >/dev/null 2>&1 || true
if ! instance start >"$STATE/start.log" 2>&1; then
  echo "postfix did not start:" >&2
  cat "$STATE/start.log" >&2
  exit 1
fi
for _ in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
    echo "postfix ($CONF) listening on 127.0.0.1:$PORT, [::1]:$PORT and 127.0.0.1:$TLS_PORT (log: $STATE/postfix.log)"
    exit 0
  fi
  sleep 0.2
done
echo "postfix did not start; see $STATE/postfix.log" >&2
tail -20 "$STATE/postfix.log" >&2 || true
exit 1
