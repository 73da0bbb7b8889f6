"""JupyterHub for a cohort of the Social Media Manager Playbook, on one server.

Start it from the course repository after `make install`:

    SMM_HUB_DATA=/srv/smm-playbook SMM_HUB_ADMINS=trainer \\
        .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Everything a cohort changes is an environment variable (README, "Hosting a cohort"):

SMM_HUB_AUTH      native (default): learners sign up, a trainer approves them at
                  /hub/authorize (jupyterhub-nativeauthenticator);
                  shared: one password for the cohort's named learners (JupyterHub's
                  SharedPasswordAuthenticator; SMM_HUB_PASSWORD, at least 8
                  characters, and SMM_HUB_ADMIN_PASSWORD, at least 32, for trainers);
                  pam: the server's own user accounts.
SMM_HUB_SPAWNER   local (default): each learner's server runs as their system user
                  (JupyterHub's LocalProcessSpawner; the accounts must exist);
                  simple: every server runs as the hub's user, with homes under
                  SMM_HUB_HOMES (SimpleLocalProcessSpawner; no isolation between
                  learners: for a trial or a test only).
SMM_HUB_ADMINS    the trainers' user names, comma-separated.
SMM_HUB_ROSTER    a CSV with columns username,group,intake: who may log in (with
                  the shared password) and each learner's group and intake.
SMM_HUB_DATA      the hub's own state: its database, cookie secret, and the cohort
                  store (cohort.db) unless SMM_HUB_STORE names another.
SMM_HUB_STORE     the cohort store: a SQLite path or postgresql+psycopg://... URL.
SMM_HUB_COURSE    the course repository (default: two folders above this file).
SMM_HUB_IP, SMM_HUB_PORT  where the hub listens (default 127.0.0.1:8000; put
                  a TLS-terminating reverse proxy in front for a real cohort).
SMM_HUB_API_PORT, SMM_HUB_PROXY_API_PORT, SMM_HUB_BOOK_PORT  internal ports on
                  127.0.0.1 (default 8081, 8001, 8090).
"""

# ruff: noqa: F821 - `c` is the configuration object JupyterHub provides

from __future__ import annotations

import csv
import os
import pwd
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE = Path(os.environ.get("SMM_HUB_COURSE", HERE.parent.parent)).resolve()
DATA = Path(os.environ.get("SMM_HUB_DATA", "/srv/smm-playbook")).resolve()
DATA.mkdir(parents=True, exist_ok=True)
STORE = os.environ.get("SMM_HUB_STORE") or str(DATA / "cohort.db")
BIN = Path(sys.executable).parent  # the course's virtualenv
ADMINS = {n.strip() for n in os.environ.get("SMM_HUB_ADMINS", "").split(",") if n}


def _roster() -> dict[str, dict[str, str]]:
    path = os.environ.get("SMM_HUB_ROSTER")
    if not path:
        return {}
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"username", "group", "intake"} - set(rows[0] if rows else {})
    if missing:
        raise SystemExit(
            f"The roster {path} needs the columns username,group,intake "
            f"(missing: {', '.join(sorted(missing))})."
        )
    return {row["username"].strip(): row for row in rows}


ROSTER = _roster()

# --- The hub and its proxy -------------------------------------------------------
c.JupyterHub.ip = os.environ.get("SMM_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("SMM_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("SMM_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('SMM_HUB_PROXY_API_PORT', '8001')}"
)
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(DATA / "jupyterhub-proxy.pid")
# configurable-http-proxy from npm: `make install` puts it in node_modules here.
_proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [
    str(_proxy) if _proxy.exists() else "configurable-http-proxy"
]
# Learners land in JupyterLab.
c.Spawner.default_url = "/lab"

# --- Who may log in ---------------------------------------------------------------
_auth = os.environ.get("SMM_HUB_AUTH", "native")
if _auth == "native":
    c.JupyterHub.authenticator_class = "native"
    c.NativeAuthenticator.open_signup = False  # a trainer approves each sign-up
    c.NativeAuthenticator.minimum_password_length = 10
    c.Authenticator.allow_all = True  # everyone the trainer has approved
elif _auth == "shared":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["SMM_HUB_PASSWORD"]
    if os.environ.get("SMM_HUB_ADMIN_PASSWORD"):
        c.SharedPasswordAuthenticator.admin_password = os.environ[
            "SMM_HUB_ADMIN_PASSWORD"
        ]
    c.Authenticator.allowed_users = set(ROSTER)
elif _auth == "pam":
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = set(ROSTER)
    c.Authenticator.allow_all = not ROSTER
else:
    raise SystemExit(f"SMM_HUB_AUTH must be native, shared or pam, not {_auth!r}.")
c.Authenticator.admin_users = ADMINS

# --- Each learner's server --------------------------------------------------------
if os.environ.get("SMM_HUB_SPAWNER", "local") == "simple":
    c.JupyterHub.spawner_class = "simple"
    _homes = Path(os.environ.get("SMM_HUB_HOMES", DATA / "homes"))
    c.SimpleLocalProcessSpawner.home_dir_template = str(_homes / "{username}")
else:
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    if "://" not in STORE:
        # Each learner's kernel writes the store as that learner: a SQLite file
        # then needs a folder and file every learner's account may write.
        print(
            f"Note: the cohort store is the SQLite file {STORE}; with one system "
            "account per learner, make its folder writable by all of them (a "
            "shared group, setgid, umask 002) or set SMM_HUB_STORE to PostgreSQL. "
            "Until then outcomes wait in each learner's queue; none is lost.",
            file=sys.stderr,
        )
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
if os.geteuid() == 0 and os.environ.get("SMM_HUB_SPAWNER") == "simple":
    c.Spawner.args = ["--allow-root"]  # the simple spawner runs as the hub's user
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90


def _learner_env(key: str):
    return lambda spawner: ROSTER.get(spawner.user.name, {}).get(key, "")


c.Spawner.environment = {
    # Every check outcome goes to the cohort store (smm_playbook.cohort.outbox).
    "SMM_PLAYBOOK_COHORT": "1",
    "SMM_PLAYBOOK_COHORT_STORE": STORE,
    "SMM_PLAYBOOK_GROUP": _learner_env("group"),
    "SMM_PLAYBOOK_INTAKE": _learner_env("intake"),
    # The course's Voilà template, for the apps at /user/NAME/voila/render/apps/.
    "JUPYTER_PATH": str(COURSE / "src" / "smm_playbook" / "workshop_share"),
    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
}
for _name in ("PYTHONPATH", "SMM_PLAYBOOK_HOME"):
    if os.environ.get(_name):  # a development checkout or a test's folders
        c.Spawner.environment[_name] = os.environ[_name]


def _seed(spawner) -> None:
    """Copy the course into the learner's home, never over their work."""
    from smm_playbook.cohort.seed import seed_home

    if hasattr(spawner, "home_dir"):  # the simple spawner's homes
        home, owner = Path(spawner.home_dir), None
    else:
        account = pwd.getpwnam(spawner.user.name)
        home, owner = Path(account.pw_dir), (account.pw_uid, account.pw_gid)
    if os.geteuid() != 0:
        owner = None
    seeded = seed_home(home, COURSE, owner)
    spawner.log.info(
        "Course for %s: %d item(s) copied, %d kept as they were",
        spawner.user.name,
        len(seeded.copied),
        len(seeded.kept),
    )


c.Spawner.pre_spawn_hook = _seed
c.Spawner.notebook_dir = "~"

# --- The book, for everyone, at /services/book/ -----------------------------------
_book = COURSE / "_build" / "html"
if _book.is_dir():
    c.JupyterHub.services = [
        {
            "name": "book",
            "url": f"http://127.0.0.1:{os.environ.get('SMM_HUB_BOOK_PORT', '8090')}",
            "command": [
                sys.executable,
                "-m",
                "smm_playbook.cohort.book_service",
                str(_book),
            ],
            "display": True,
        }
    ]
    # Every learner may open it from the hub's Services menu.
    c.JupyterHub.load_roles = [
        {"name": "user", "scopes": ["self", "access:services!service=book"]}
    ]
