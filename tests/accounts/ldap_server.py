"""A throwaway OpenLDAP server (Debian's slapd) for the directory tests.

It listens on a free loopback port, keeps its configuration and database in a
temporary folder, and holds the people and (nested) groups of `DIRECTORY_LDIF`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SUFFIX = "dc=plm,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
READER_DN = f"cn=plm-reader,ou=services,{SUFFIX}"
READER_PASSWORD = "reader-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
PASSWORD = "directory-pass-1"  # every person's password


def person_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def group_dn(cn: str) -> str:
    return f"cn={cn},{GROUPS}"


# uid, e-mail (None: none in the directory), name
PEOPLE_ROWS = [
    ("alice", "Alice.Directory@Hospital.test", "Alice Directory"),  # planner, may sign in
    ("carol", "carol@hospital.test", "Carol Buyer"),  # steward through a nested group
    ("dave", "dave@hospital.test", "Dave Admin"),  # admin
    ("gina", "gina@hospital.test", "Gina Mover"),  # her groups change during a test
    ("frank", "frank@hospital.test", "Frank Outsider"),  # not in plm-users
    ("nomail", None, "No Mail"),  # no e-mail address
]
# group: members (people by uid, groups by "group:cn")
GROUP_ROWS = {
    "plm-users": ["alice", "dave", "gina", "nomail", "group:pharmacy-buyers"],
    "pharmacy-buyers": ["carol"],
    "plm-stewards": ["group:pharmacy-buyers"],  # carol is a steward through pharmacy-buyers
    "plm-admins": ["group:it-admins"],  # admins through a nested group
    "it-admins": ["dave"],  # gina joins and leaves it during a test
}


def directory_ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: plm\no: PLM test hospital",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
        f"dn: ou=services,{SUFFIX}\nobjectClass: organizationalUnit\nou: services",
        f"dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: plm-reader\nuserPassword: {READER_PASSWORD}",
    ]
    for uid, mail, name in PEOPLE_ROWS:
        lines = [
            f"dn: {person_dn(uid)}",
            "objectClass: inetOrgPerson",
            f"uid: {uid}",
            f"cn: {name}",
            f"sn: {name.split()[-1]}",
            f"displayName: {name}",
            f"userPassword: {PASSWORD}",
        ]
        if mail:
            lines.append(f"mail: {mail}")
        entries.append("\n".join(lines))
    for cn, members in GROUP_ROWS.items():
        dns = [group_dn(m[6:]) if m.startswith("group:") else person_dn(m) for m in members]
        entries.append(
            "\n".join(
                [f"dn: {group_dn(cn)}", "objectClass: groupOfNames", f"cn: {cn}"] + [f"member: {dn}" for dn in dns]
            )
        )
    return "\n\n".join(entries) + "\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LdapServer:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.config = folder / "slapd.conf"
        (folder / "db").mkdir(parents=True)
        self.config.write_text(
            "\n".join(
                [
                    *(f"include /etc/ldap/schema/{name}.schema" for name in ("core", "cosine", "inetorgperson", "nis")),
                    f"pidfile {folder}/slapd.pid",
                    f"argsfile {folder}/slapd.args",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "database mdb",
                    "maxsize 10485760",
                    f'suffix "{SUFFIX}"',
                    f'rootdn "{ROOT_DN}"',
                    f"rootpw {ROOT_PASSWORD}",
                    f"directory {folder}/db",
                    "index objectClass,uid,mail,member eq",
                    "access to attrs=userPassword by anonymous auth by * none",
                    "access to * by * read",
                    "",
                ]
            )
        )
        (folder / "directory.ldif").write_text(directory_ldif())
        subprocess.run(
            [SLAPADD, "-q", "-f", str(self.config), "-l", str(folder / "directory.ldif")],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(self.config), "-h", f"{self.uri}/", "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd stopped at start: {self.process.stderr.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("slapd did not answer within 15 seconds")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def modify(self, dn: str, changes: list) -> None:
        """Change an entry as the directory's administrator (python-ldap's modlist)."""
        import ldap

        connection = ldap.initialize(self.uri)
        try:
            connection.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
            connection.modify_s(dn, changes)
        finally:
            connection.unbind_s()

    def env(self, **overrides: str) -> dict[str, str]:
        """The PLM_LDAP_* environment of a site using this server."""
        return {
            "PLM_LDAP_URI": self.uri,
            "PLM_LDAP_BIND_DN": READER_DN,
            "PLM_LDAP_BIND_PASSWORD": READER_PASSWORD,
            "PLM_LDAP_USER_SEARCH_BASE": PEOPLE,
            "PLM_LDAP_USER_FILTER": "(|(uid=%(user)s)(mail=%(user)s))",
            "PLM_LDAP_GROUP_SEARCH_BASE": GROUPS,
            "PLM_LDAP_GROUP_TYPE": "group_of_names",
            "PLM_LDAP_STEWARD_GROUP": group_dn("plm-stewards"),
            "PLM_LDAP_ADMIN_GROUP": group_dn("plm-admins"),
            **overrides,
        }


def slapd_missing_reason() -> str | None:
    if not Path(SLAPD).exists() or not shutil.which("slapadd", path="/usr/sbin"):
        return (
            f"Directory tests skipped: {SLAPD} is not installed. As root, `apt-get install slapd ldap-utils` "
            "(scripts/test.sh does this when it can)."
        )
    return None
