"""The guard on a real server: gitolite (Debian's gitolite3) behind sshd on 127.0.0.1, an office key and two
unit keys, tiandz's VREF installed as `tiandz server vref` prints it, clones pushing over ssh.

Everything lives in tmp_path: gitolite's HOME, sshd's host key, configuration and authorized_keys (each key's
forced command runs gitolite-shell with that HOME). Skipped, with the reason, where gitolite or sshd is not
installed (CI installs them: .ci/run).
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import git
from tests.test_verify_push import CONFIG, CONTACT, J015, J016, J017, JIAOTI, JIAOTONG, trailers

SSHD = shutil.which("sshd") or next((path for path in ("/usr/sbin/sshd",) if os.path.exists(path)), None)
GITOLITE = shutil.which("gitolite")

pytestmark = [
    pytest.mark.skipif(GITOLITE is None, reason="gitolite3 未安装（apt-get install gitolite3）"),
    pytest.mark.skipif(SSHD is None, reason="sshd 未安装（openssh-server）"),
]

ACCOUNTS = ("duchashi", "jiaoti", "jiaotong")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gitolite:
    def __init__(self, base: Path):
        self.base, self.home = base, base / "gitolite"
        self.home.mkdir()
        self.environment = {**os.environ, "HOME": str(self.home)}
        for name in ("admin", *ACCOUNTS, "hostkey"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(base / name)], check=True)
        self.gitolite("setup", "-pk", str(base / "admin.pub"))
        rc = self.home / ".gitolite.rc"
        rc.write_text(rc.read_text().replace('# LOCAL_CODE                =>  "$ENV{HOME}/local",',
                                             'LOCAL_CODE => "$ENV{HOME}/local",'))
        vref = self.home / "local" / "VREF" / "TIANDZ"
        vref.parent.mkdir(parents=True)
        vref.write_text(subprocess.run([sys.executable, "-m", "tiandz", "server", "vref"], check=True,
                                       capture_output=True, text=True).stdout)
        vref.chmod(0o755)
        for name in ACCOUNTS:
            shutil.copy(base / f"{name}.pub", self.home / ".gitolite" / "keydir" / f"{name}.pub")
        (self.home / ".gitolite" / "conf" / "gitolite.conf").write_text(
            "repo gitolite-admin\n    RW+ = admin\n"
            "repo ledger\n    RW+ = duchashi\n    RW = jiaoti jiaotong\n    - VREF/TIANDZ = @all\n")
        self.gitolite("compile")
        self.gitolite("trigger", "POST_COMPILE")
        self.repo = self.home / "repositories" / "ledger.git"
        git(self.repo, "symbolic-ref", "HEAD", "refs/heads/main")
        keys = (self.home / ".ssh" / "authorized_keys").read_text()
        (base / "authorized_keys").write_text(keys.replace('command="', f'command="HOME={self.home} '))
        self.port = free_port()
        (base / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {base / 'hostkey'}\n"
            f"AuthorizedKeysFile {base / 'authorized_keys'}\nPidFile {base / 'sshd.pid'}\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
            "PermitRootLogin prohibit-password\n")
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation folder, which a container may lack
        self.sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(base / "sshd_config")],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.wait_for_sshd()

    def gitolite(self, *arguments: str) -> None:
        subprocess.run([GITOLITE, *arguments], check=True, capture_output=True, env=self.environment)

    def wait_for_sshd(self) -> None:
        for _ in range(100):
            if self.sshd.poll() is not None:
                pytest.fail(f"sshd 未能启动：{self.sshd.stdout.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail("sshd 没有在端口上应答")

    def stop(self) -> None:
        self.sshd.terminate()
        self.sshd.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"ssh://{getpass.getuser()}@127.0.0.1:{self.port}/ledger"

    def ssh(self, account: str) -> dict[str, str]:
        command = (f"ssh -p {self.port} -i {self.base / account} -o IdentitiesOnly=yes -o BatchMode=yes "
                   "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR")
        return {**os.environ, "GIT_SSH_COMMAND": command}

    def run(self, account: str, clone: Path, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(clone), *arguments], capture_output=True, text=True, env=self.ssh(account))

    def clone(self, account: str) -> Path:
        root = self.base / f"clone-{account}"
        result = subprocess.run(["git", "clone", "-q", self.url, str(root)], capture_output=True, text=True,
                                env=self.ssh(account))
        assert result.returncode == 0, result.stderr
        git(root, "config", "user.name", account)
        git(root, "config", "user.email", f"{account}@example.org")
        return root

    def main(self) -> str:
        return git(self.repo, "rev-parse", "refs/heads/main").strip()


@pytest.fixture
def gitolite(tmp_path: Path):
    server = Gitolite(tmp_path)
    yield server
    server.stop()


def test_units_and_the_office_push_over_ssh_through_gitolite_and_tiandzs_vref(gitolite, tmp_path):
    # The office brings the ledger: the first push of an empty repository.
    office = tmp_path / "office"
    (office / "2024").mkdir(parents=True)
    (office / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
    for item_id, text in (("2024-J-015", J015), ("2024-J-016", J016), ("2024-J-017", J017)):
        (office / "2024" / f"{item_id}.yaml").write_text(text, encoding="utf-8")
    git(office, "init", "-q", "-b", "main")
    git(office, "config", "user.name", "督查室")
    git(office, "config", "user.email", "office@example.org")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "台账")
    git(office, "remote", "add", "origin", gitolite.url)
    first = gitolite.run("duchashi", office, "push", "-q", "origin", "main")
    assert first.returncode == 0, first.stderr
    assert gitolite.main() == git(office, "rev-parse", "HEAD").strip()

    # 教体局 records a contact on its own item: accepted.
    jiaoti = gitolite.clone("jiaoti")
    path = jiaoti / "2024" / "2024-J-015.yaml"
    path.write_text(path.read_text(encoding="utf-8") + CONTACT.format(unit=JIAOTI), encoding="utf-8")
    git(jiaoti, "commit", "-q", "-am", "走访\n\n" + trailers("contact", "2024-J-015", JIAOTI))
    pushed = gitolite.run("jiaoti", jiaoti, "push", "origin", "main")
    assert pushed.returncode == 0, pushed.stderr
    assert gitolite.main() == git(jiaoti, "rev-parse", "HEAD").strip()

    # 交通局 writes into 教体局's item: refused by the VREF, with tiandz's line, and main did not move.
    jiaotong = gitolite.clone("jiaotong")
    path = jiaotong / "2024" / "2024-J-015.yaml"
    path.write_text(path.read_text(encoding="utf-8") + CONTACT.format(unit=JIAOTONG), encoding="utf-8")
    git(jiaotong, "commit", "-q", "-am", "走访\n\n" + trailers("contact", "2024-J-015", JIAOTONG))
    short = git(jiaotong, "rev-parse", "--short=7", "HEAD").strip()
    before = gitolite.main()
    refused = gitolite.run("jiaotong", jiaotong, "push", "origin", "main")
    assert refused.returncode != 0
    assert f"拒绝：{short} 2024/2024-J-015.yaml：【非本单位承办】县交通运输局不是这一件的主办或协办单位" in refused.stderr
    assert "推送被整个拒绝" in refused.stderr
    assert gitolite.main() == before

    # gitolite's own rule still holds: a unit has RW, not RW+, so no force push reaches tiandz at all.
    git(jiaoti, "commit", "-q", "--amend", "-m", "改写")
    forced = gitolite.run("jiaoti", jiaoti, "push", "--force", "origin", "main")
    assert forced.returncode != 0
    assert gitolite.main() == before
