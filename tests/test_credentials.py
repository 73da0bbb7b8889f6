"""Open Badges 3.0 credentials and the revocation list.

The credential is checked twice: by our verifier, and by a second, independent
JOSE implementation (jwcrypto) plus the 1EdTech OB 3.0 JSON schema shipped in
the package, so that it is not only our own code that agrees with itself.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import jsonschema
import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from smm_playbook.grading import badges, certificates, revocation, secret
from smm_playbook.grading.verification import check

KEYS = secret.keys_from(bytes(range(32)), version=2)
OTHER = secret.keys_from(bytes(32), version=2)
PUBLIC = [KEYS.public_key]
ISSUER = "Acme Ltd, Learning & Development"
DETAILS = certificates.Details(
    learner_id="ana.li",
    name="Ana María Li",
    exam_id="smm-cert",
    exam_version="2026.1",
    exam_title="Social Media Manager Certification",
    score="27/30",
    percent="90.0",
    date="2026-12-02",
    expires="2028-12-02",
)
CRITERIA = "https://learning.example.com/smm-playbook/book/09-certification/"


@pytest.fixture(scope="module")
def token():
    return badges.issue_jwt(DETAILS, KEYS, ISSUER, CRITERIA)


def parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    return (
        json.loads(secret.b64decode(header)),
        json.loads(secret.b64decode(payload)),
        signature,
    )


def encode(header: dict, payload: dict, signature: str) -> str:
    pieces = (json.dumps(header).encode(), json.dumps(payload).encode())
    return ".".join(secret.b64url(p) for p in pieces) + "." + signature


def test_a_second_jose_implementation_verifies_the_credential(token, tmp_path):
    public_file = secret.write_public_key(KEYS, tmp_path / "exam.public.pem")
    text = public_file.read_text()
    key = jwcrypto_jwk.JWK.from_pem(text[text.index("-----BEGIN") :].encode())
    signed = jwcrypto_jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="Ed25519")
    credential = json.loads(signed.payload)
    assert signed.jose_header == {
        "alg": "Ed25519",
        "typ": "vc+ld+json+jwt",
        "jwk": {k: v for k, v in key.export_public(as_dict=True).items() if k != "kid"},
    }
    with pytest.raises(jwcrypto_jws.InvalidJWSSignature):
        wrong = jwcrypto_jwk.JWK.from_pyca(OTHER.public_key)
        jwcrypto_jws.JWS().deserialize(token, key=wrong, alg="Ed25519")
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == (
        "Ana María Li"
    )


def test_the_credential_validates_against_the_shipped_ob3_schema(token):
    _, credential, _ = parts(token)
    schema = badges.schema()
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09")
    jsonschema.Draft201909Validator(schema).validate(credential)
    assert badges.schema_errors(credential) == []
    broken = json.loads(json.dumps(credential))
    del broken["credentialSubject"]["achievement"]["criteria"]
    broken["validFrom"] = 20261202
    assert len(badges.schema_errors(broken)) == 2


def test_the_credential_says_what_the_issue_asks(token):
    header, c, _ = parts(token)
    assert c["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert c["issuer"] == {
        "id": badges.did_key(KEYS.public_key),
        "type": ["Profile"],
        "name": ISSUER,
    }
    assert c["issuer"]["id"].startswith("did:key:z6Mk")  # an Ed25519 did:key
    assert (c["validFrom"], c["awardedDate"], c["validUntil"]) == (
        "2026-12-02T00:00:00Z",
        "2026-12-02T00:00:00Z",
        "2028-12-02T23:59:59Z",
    )
    achievement = c["credentialSubject"]["achievement"]
    assert achievement["name"] == DETAILS.exam_title
    assert achievement["criteria"]["id"] == CRITERIA
    assert "Module 9" in achievement["criteria"]["narrative"]
    assert [r["value"] for r in c["credentialSubject"]["result"]] == ["27", "90.0"]
    assert c["iss"] == c["issuer"]["id"] and c["jti"] == c["id"]
    assert c["sub"] == c["credentialSubject"]["id"]
    assert c["exp"] - c["nbf"] == 731 * 86400 + 86399
    code = certificates.code_for(DETAILS, KEYS.fingerprint)
    assert code in c["description"]


def test_our_verifier_accepts_it_and_matches_the_pdf(token, tmp_path):
    verdict = badges.verify_jwt(token, PUBLIC)
    assert verdict.genuine, verdict.reasons
    assert verdict.details == DETAILS and verdict.issuer == ISSUER
    pdf = certificates.issue(DETAILS, KEYS, tmp_path / "c.pdf", ISSUER)
    assert certificates.verify(pdf, PUBLIC).code == verdict.code


FIELDS = {
    "name": ("credentialSubject", "identifier", 0, "identityHash"),
    "learner_id": ("credentialSubject", "identifier", 1, "identityHash"),
    "score": ("credentialSubject", "result", 0, "value"),
    "percent": ("credentialSubject", "result", 1, "value"),
    "exam_title": ("credentialSubject", "achievement", "name"),
    "exam_version": ("credentialSubject", "achievement", "version"),
    "validUntil": ("validUntil",),
    "issuer": ("issuer", "name"),
    "exp": ("exp",),
}


@pytest.mark.parametrize("field", list(FIELDS))
def test_any_field_changed_breaks_the_signature(token, field):
    header, payload, signature = parts(token)
    *path, last = FIELDS[field]
    target = payload
    for step in path:
        target = target[step]
    target[last] = 2**40 if isinstance(target[last], int) else target[last] + "X"
    verdict = badges.verify_jwt(encode(header, payload, signature), PUBLIC)
    assert not verdict.genuine
    assert "signature does not match" in verdict.reasons[0]


def test_a_credential_signed_with_another_key_fails(token):
    forged = badges.issue_jwt(
        dataclasses.replace(DETAILS, score="30/30"), OTHER, ISSUER
    )
    assert badges.verify_jwt(forged, [OTHER.public_key]).genuine
    verdict = badges.verify_jwt(forged, PUBLIC)
    assert "not among the public keys" in verdict.reasons[0]
    header, payload, signature = parts(forged)
    header["jwk"] = secret.jwk(KEYS.public_key)  # claims to be ours
    verdict = badges.verify_jwt(encode(header, payload, signature), PUBLIC)
    assert "signature does not match" in verdict.reasons[0]


def test_unsigned_or_differently_signed_tokens_fail(token):
    header, payload, signature = parts(token)
    for bad in ({**header, "alg": "none"}, {**header, "alg": "EdDSA"}):
        assert not badges.verify_jwt(encode(bad, payload, signature), PUBLIC).genuine
    assert not badges.verify_jwt(encode(header, payload, ""), PUBLIC).genuine
    assert not badges.verify_jwt("not a token", PUBLIC).genuine


def test_a_signed_credential_this_course_would_not_issue_fails():
    """Even our own key's signature is not enough if the content is not ours."""
    credential = badges.credential_for(DETAILS, KEYS.public_key, ISSUER)
    credential["credentialSubject"]["identifier"][0]["identityHash"] = "Eve"
    header = {
        "alg": "Ed25519",
        "typ": "vc+ld+json+jwt",
        "jwk": secret.jwk(KEYS.public_key),
    }
    token = badges.jws.serialize_compact(
        header,
        json.dumps(credential).encode(),
        badges.private_jwk(KEYS),
        registry=badges.REGISTRY,
    )
    verdict = badges.verify_jwt(token, PUBLIC)
    assert not verdict.genuine and "not one this course issues" in verdict.reasons[0]


def test_revoked_and_expired_credentials_are_reported(token, tmp_path):
    jwt_file = tmp_path / "ana.jwt"
    jwt_file.write_text(token)
    pdf = certificates.issue(DETAILS, KEYS, tmp_path / "ana.pdf", ISSUER)
    listing = tmp_path / "revocations.json"
    code = certificates.code_for(DETAILS, KEYS.fingerprint)
    assert revocation.revoke(listing, KEYS, code, "issued in error", date(2027, 3, 1))
    revoked = revocation.load(listing, PUBLIC)
    for path in (jwt_file, pdf):
        report = check(path, PUBLIC, revoked, today=date(2027, 4, 1))
        assert report.status == "revoked" and not report.ok
        assert "REVOKED on 2027-03-01 (issued in error)" in str(report)
        assert check(path, PUBLIC, {}, date(2027, 4, 1)).ok
        expired = check(path, PUBLIC, {}, date(2028, 12, 3))
        assert expired.status == "expired" and "EXPIRED on 2028-12-02" in str(expired)
        assert "not on the revocation list" in str(expired)


def test_a_revocation_list_edited_or_signed_by_another_key_is_refused(tmp_path):
    listing = tmp_path / "revocations.json"
    revocation.revoke(listing, KEYS, "AAAA-BBBB-CCCC-DDDD-EEEE", "left")
    revocation.revoke(listing, KEYS, "FFFF-GGGG-HHHH-IIII-JJJJ", "error")
    assert set(revocation.load(listing, PUBLIC)) == {
        "AAAA-BBBB-CCCC-DDDD-EEEE",
        "FFFF-GGGG-HHHH-IIII-JJJJ",
    }
    document = json.loads(listing.read_text())
    document["revoked"].pop()  # un-revoke someone by hand
    listing.write_text(json.dumps(document))
    with pytest.raises(revocation.RevocationError, match="changed after it was signed"):
        revocation.load(listing, PUBLIC)
    theirs = tmp_path / "theirs.json"
    revocation.revoke(theirs, OTHER, "AAAA-BBBB-CCCC-DDDD-EEEE", "spite")
    with pytest.raises(revocation.RevocationError, match="not signed with any"):
        revocation.load(theirs, PUBLIC)


def test_verify_tells_the_kinds_of_file_apart(token, tmp_path):
    empty = tmp_path / "empty.jwt"
    empty.write_text("")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    for path in (empty, binary, tmp_path / "missing.pdf"):
        assert check(path, PUBLIC).status == "not genuine"
