"""deploy/: the systemd unit parses and is hardened, the environment file example lists every
variable ctbot reads with values ctbot accepts, and nginx forwards the webhook path to where
`ctbot run --webhook` listens."""

from __future__ import annotations

import configparser
import re
import secrets
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from bot.cli import build_parser
from bot.settings import ENVIRONMENT, Settings
from bot.webhook import WebhookSettings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
ASSIGNMENT = re.compile(r"(#?)([A-Z][A-Z0-9_]*)=(.*)")


def unit() -> configparser.ConfigParser:
    """The unit as configparser reads it (systemd's repeated keys: the last one wins)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "ctbot.service").read_text("utf-8"))
    return parser


def test_only_the_system_call_filter_is_given_twice():
    text = (DEPLOY / "ctbot.service").read_text("utf-8")
    keys = re.findall(r"^([A-Za-z]+)=", text, re.M)
    assert sorted({k for k in keys if keys.count(k) > 1}) == ["SystemCallFilter"]
    assert "SystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources" in text


def env_example() -> list[tuple[bool, str, str, str]]:
    """(active, name, value, comment above) for every assignment, commented out or not."""
    found = []
    comment = ""
    for line in (DEPLOY / "ctbot.env.example").read_text("utf-8").splitlines():
        match = ASSIGNMENT.fullmatch(line)
        if match:
            found.append((not match[1], match[2], match[3], comment))
        comment = line if line.startswith("# ") else ""
    return found


def test_the_unit_runs_ctbot_as_its_own_user_with_the_environment_file():
    service = unit()["Service"]
    assert unit().sections() == ["Unit", "Service", "Install"]
    assert service["User"] == "ctbot" and service["Group"] == "ctbot"
    assert service["EnvironmentFile"] == "/etc/ctbot/ctbot.env"
    assert service["ExecStart"] == "/opt/ctbot/.venv/bin/ctbot run"
    assert service["Restart"] == "on-failure"
    assert int(service["TimeoutStopSec"]) > 10  # ctbot's own stop bound is 10 s
    assert service["RestartPreventExitStatus"] == "2"  # a malformed setting
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_units_command_lines_are_real_ctbot_commands():
    text = (DEPLOY / "ctbot.service").read_text("utf-8")
    webhook = re.search(r'"(/opt/ctbot/\.venv/bin/ctbot run --webhook)"', text)
    assert webhook is not None
    for command in (unit()["Service"]["ExecStart"], webhook[1]):
        args = build_parser().parse_args(shlex.split(command)[1:])
        assert args.command == "run"
    assert build_parser().parse_args(["run", "--webhook"]).webhook


def test_the_unit_is_hardened_and_can_write_only_the_database_directory():
    service = unit()["Service"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "CapabilityBoundingSet": "",
        "SystemCallErrorNumber": "EPERM",
    }.items():
        assert service[key] == value, key
    db = Path(next(value for _, name, value, _ in env_example() if name == "CTBOT_DB"))
    assert service["ReadWritePaths"].split() == [str(db.parent)]
    assert service["StateDirectory"] == db.parent.name
    assert service["Environment"].startswith(f"MPLCONFIGDIR={db.parent}/")


def test_the_environment_example_lists_every_variable_ctbot_reads_each_commented():
    assignments = env_example()
    names = [name for _, name, _, _ in assignments]
    assert sorted(names) == sorted(ENVIRONMENT) and len(names) == len(set(names))
    for _, name, _, comment in assignments:
        assert comment, f"{name} has no comment above it"
    values = {name: value for _, name, value, _ in assignments}
    assert values["TELEGRAM_BOT_TOKEN"] == "" and values["CTBOT_WEBHOOK_SECRET"] == ""
    active = {name for is_active, name, _, _ in assignments if is_active}
    assert active == {"TELEGRAM_BOT_TOKEN", "CTBOT_DB"}


def test_the_example_values_are_accepted_by_ctbot():
    env = {name: value for _, name, value, _ in env_example()}
    env["TELEGRAM_BOT_TOKEN"] = "123456:not-a-real-token-only-a-test"
    env["CTBOT_WEBHOOK_SECRET"] = secrets.token_hex(32)
    settings = Settings.from_env(env)
    assert str(settings.db_path) == "/var/lib/ctbot/ctbot.sqlite3"
    assert settings.admin_ids == {123456789} and settings.concurrency == 16
    webhook = WebhookSettings.from_env(env)
    assert (webhook.host, webhook.port, webhook.url_path) == ("127.0.0.1", 8443, "/ctbot/webhook")


def test_nginx_forwards_the_webhook_path_to_the_listen_address():
    conf = (DEPLOY / "nginx-ctbot.conf").read_text("utf-8")
    body = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    assert body.count("{") == body.count("}")
    env = {name: value for _, name, value, _ in env_example()}
    url = urlsplit(env["CTBOT_WEBHOOK_URL"])
    location = re.search(r"location = (\S+) \{(.*?)\n    \}", body, re.S)
    assert location is not None and location[1] == url.path
    assert f"proxy_pass http://{env['CTBOT_WEBHOOK_LISTEN']};" in location[2]
    assert "limit_except POST" in location[2]
    assert set(re.findall(r"server_name (\S+);", body)) == {url.hostname}
    assert "listen 443 ssl;" in body and "ssl_certificate_key" in body
