"""The secret file: versioned, key-separated, and old secrets give the same papers."""

from __future__ import annotations

import pytest
from jwcrypto import jwk as jwcrypto_jwk

from smm_playbook.grading import secret
from smm_playbook.grading.exam import find_exam, paper_for

# The first certification (retired, kept for grading): its papers are pinned.
CERTIFICATION = find_exam("smm-cert", "2026.1")

MASTER = bytes(range(32))


def test_a_version_1_secret_gives_exactly_the_papers_it_always_gave(tmp_path):
    """Pinned from the code before key separation (commit a67e33f)."""
    path = tmp_path / "old.secret"
    path.write_text(MASTER.hex() + "\n")
    keys = secret.load(path)
    assert keys.version == 1
    assert secret.seed(keys, "a", "b") == 279708670770073261480661412657316421546
    paper = paper_for(CERTIFICATION, keys, "ana.li", 1, "Ana Li")
    assert paper.code == "25ad63016a93d4f6f48b"
    raw = paper_for(CERTIFICATION, MASTER, "ana.li", 1, "Ana Li")  # bytes = v1
    assert raw.code == paper.code
    assert [s.data_code for s in raw.sections] == [s.data_code for s in paper.sections]


def test_version_2_separates_every_key(tmp_path):
    path = secret.create(tmp_path / "exam.secret")
    assert path.read_text().startswith("smm-playbook secret v2\n")
    keys = secret.load(path)
    assert keys.version == 2 and keys.hex() in path.read_text()
    derived = [keys.paper_seed_key, keys.paper_code_key, keys.signing_seed]
    assert len({keys.master, *derived}) == 4
    v1 = secret.keys_from(keys.master, version=1)
    new, old = (paper_for(CERTIFICATION, k, "bo") for k in (keys, v1))
    assert new.code != old.code
    assert [s.data_code for s in new.sections] != [s.data_code for s in old.sections]
    assert secret.load(path) == keys  # the same file always gives the same keys


def test_the_signing_key_is_the_secrets_and_only_its(tmp_path):
    a = secret.keys_from(MASTER, 2)
    assert a.fingerprint == secret.keys_from(MASTER, 2).fingerprint
    assert a.fingerprint != secret.keys_from(MASTER, 1).fingerprint
    assert a.fingerprint != secret.keys_from(bytes(32), 2).fingerprint


def test_the_public_key_file_and_its_fingerprint(tmp_path):
    keys = secret.keys_from(MASTER, 2)
    path = secret.write_public_key(keys, tmp_path / "exam.public.pem")
    text = path.read_text()
    assert keys.fingerprint in text.splitlines()[0]
    assert "PRIVATE" not in text and keys.hex() not in text
    public = secret.load_public_key(path)
    assert secret.fingerprint(public) == keys.fingerprint
    pem = text[text.index("-----BEGIN") :].encode()
    # A second implementation computes the same RFC 7638 thumbprint.
    assert jwcrypto_jwk.JWK.from_pem(pem).thumbprint() == keys.fingerprint


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("smm-playbook secret v9\n" + "00" * 32, "format this version does not know"),
        ("smm-playbook secret v2\nabcd", "holds 2 bytes"),
        ("smm-playbook secret v2\nzz", "not a secret"),
    ],
)
def test_bad_secret_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "exam.secret"
    path.write_text(content)
    with pytest.raises(secret.SecretError, match=message):
        secret.load(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "Cannot read"), ("hello", "is not a public key file")],
)
def test_bad_public_key_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "k.pem"
    if content is not None:
        path.write_text(content)
    with pytest.raises(secret.SecretError, match=message):
        secret.load_public_key(path)
