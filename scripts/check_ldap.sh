#!/usr/bin/env bash
# End-to-end check of the LDAP sign-in against a throwaway OpenLDAP server on 127.0.0.1:3899.
# Not part of `make test` (python-ldap and slapd are not installed by default). As root:
#   echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
#   apt-get install -y slapd ldap-utils libldap2-dev libsasl2-dev
#   scripts/check_ldap.sh
# It builds a separate virtualenv with django-auth-ldap, signs in a directory user through
# Django's authenticate(), and checks the account, its attributes and its mapped roles.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d)
PORT=3899
SUFFIX="dc=congres,dc=nc"
ADMIN="cn=admin,$SUFFIX"
VENV=${DPTI_LDAP_VENV:-/tmp/dpti-ldap-venv}
cleanup() {
  [ -f "$WORK/slapd.pid" ] && kill "$(cat "$WORK/slapd.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/db"
cat >"$WORK/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $WORK/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "$SUFFIX"
rootdn "$ADMIN"
rootpw secret
directory $WORK/db
EOF
/usr/sbin/slapd -f "$WORK/slapd.conf" -h "ldap://127.0.0.1:$PORT/"
for _ in $(seq 1 20); do [ -f "$WORK/slapd.pid" ] && break; sleep 0.5; done
ldapadd -x -H "ldap://127.0.0.1:$PORT" -D "$ADMIN" -w secret >/dev/null <<EOF
dn: $SUFFIX
objectClass: dcObject
objectClass: organization
o: Congres
dc: congres

dn: ou=Agents,$SUFFIX
objectClass: organizationalUnit
ou: Agents

dn: ou=Groupes,$SUFFIX
objectClass: organizationalUnit
ou: Groupes

dn: uid=jdupont,ou=Agents,$SUFFIX
objectClass: inetOrgPerson
uid: jdupont
cn: Jeanne Dupont
givenName: Jeanne
sn: Dupont
mail: jeanne.dupont@congres.nc
userPassword: motdepasse-ldap-2026

dn: cn=DPTI-Techniciens,ou=Groupes,$SUFFIX
objectClass: groupOfNames
cn: DPTI-Techniciens
member: uid=jdupont,ou=Agents,$SUFFIX
EOF

if [ ! -x "$VENV/bin/python" ]; then
  uv venv --quiet --python "${PYTHON:-python3}" "$VENV"
fi
VIRTUAL_ENV="$VENV" uv pip sync --quiet requirements/base.txt
VIRTUAL_ENV="$VENV" uv pip install --quiet "django-auth-ldap==5.4.0"

export DPTI_ENV=local DATABASE_URL="sqlite:///$WORK/dpti.sqlite3"
export AUTH_LDAP_SERVER_URI="ldap://127.0.0.1:$PORT" AUTH_LDAP_BIND_DN="$ADMIN"
export AUTH_LDAP_BIND_PASSWORD=secret AUTH_LDAP_USER_SEARCH_BASE="ou=Agents,$SUFFIX"
export AUTH_LDAP_USER_FILTER="(uid=%(user)s)" AUTH_LDAP_GROUP_SEARCH_BASE="ou=Groupes,$SUFFIX"
export AUTH_LDAP_GROUP_FILTER="(objectClass=groupOfNames)"
export AUTH_LDAP_ROLE_GROUPS="technician=cn=DPTI-Techniciens,ou=Groupes,$SUFFIX;administrator=cn=DPTI-Admins,ou=Groupes,$SUFFIX"
"$VENV/bin/python" manage.py migrate -v0
"$VENV/bin/python" manage.py shell -c "
import subprocess
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.test import RequestFactory

def sign_in(password):
    return authenticate(RequestFactory().post('/'), username='jdupont', password=password)

def roles(user):
    return sorted(user.groups.values_list('name', flat=True))

assert sign_in('wrong') is None, 'a wrong password must be refused'
user = sign_in('motdepasse-ldap-2026')
assert (user.first_name, user.last_name, user.email) == ('Jeanne', 'Dupont', 'jeanne.dupont@congres.nc')
assert roles(user) == ['technician'], roles(user)
user.groups.add(Group.objects.get(name='direction'))  # a role given by hand in DPTI
subprocess.run(['ldapmodify', '-x', '-H', 'ldap://127.0.0.1:$PORT', '-D', '$ADMIN', '-w', 'secret'],
    input=b'dn: cn=DPTI-Techniciens,ou=Groupes,$SUFFIX\nchangetype: modify\nreplace: member\nmember: $ADMIN\n',
    check=True, capture_output=True)
assert roles(sign_in('motdepasse-ldap-2026')) == ['direction']
print('LDAP check passed: account created from the directory, mapped role granted then withdrawn, hand-given role kept')
"
