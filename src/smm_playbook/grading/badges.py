"""Open Badges 3.0 credentials: each pass as a signed W3C Verifiable Credential.

The credential is an `OpenBadgeCredential` (Open Badges 3.0 on the W3C
Verifiable Credentials Data Model 2.0) secured with the JSON Web Token proof
format of Open Badges 3.0: a compact JWS whose payload is the credential plus
the claims `iss`, `jti`, `sub`, `nbf` and `exp`, and whose header carries the
public key (`jwk`). It is signed with the same Ed25519 key as the PDF, using the
fully specified JOSE algorithm name "Ed25519" (RFC 9864).

`verify_jwt` trusts only the public keys it is given, never the key in the
header: the header's key must be one of them. The payload must validate against
the Open Badges 3.0 AchievementCredential JSON schema shipped in
`grading/schemas/` and be exactly the credential this module would issue for
the details it states, with the same certificate code as the PDF.
"""

from __future__ import annotations

import json
import re
import uuid
import warnings
from datetime import UTC, datetime
from functools import cache
from importlib import resources

import jsonschema
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from smm_playbook.grading import secret
from smm_playbook.grading.certificates import (
    Details,
    Verdict,
    code_for,
    not_genuine,
    unknown_key,
)

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)
ALG, TYP = "Ed25519", "vc+ld+json+jwt"
REGISTRY = jws.JWSRegistry(algorithms=[ALG])
NAMESPACE = uuid.UUID("6f1d2c1e-0a35-5a8e-9a57-73d6c1f0b8a4")  # this course's ids
COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
KIND = "Open Badges credential"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def did_key(public: Ed25519PublicKey) -> str:
    """The key as a did:key identifier (multicodec ed25519-pub, base58btc)."""
    raw = public.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    number, text = int.from_bytes(b"\xed\x01" + raw, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = B58[digit] + text
    return f"did:key:z{text}"


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, chr(31).join(parts))}"


def credential_for(
    details: Details,
    public: Ed25519PublicKey,
    issuer: str,
    criteria_url: str = "",
) -> dict:
    """The OpenBadgeCredential for one pass (unsigned JSON)."""
    fingerprint = secret.fingerprint(public)
    code = code_for(details, fingerprint)
    exam = (details.exam_id, details.exam_version)
    points, max_points = details.score.split("/")
    criteria = {
        "narrative": (
            f"Pass the {details.exam_title} (exam {details.exam_id}, version "
            f"{details.exam_version}): a personal, individually graded exam on "
            "Modules 0 to 6 of the Social Media Manager Playbook, described in its "
            "Module 9, Certification."
        )
    }
    if criteria_url:
        criteria = {"id": criteria_url, **criteria}
    results = [
        _result_description(exam, "points", "Score in points", "RawScore"),
        _result_description(exam, "percent", "Score as a percentage", "Percent"),
    ]
    results[0]["valueMax"] = max_points
    results[1]["valueMax"] = "100"
    achievement = {
        "id": _urn("achievement", *exam),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": details.exam_title,
        "description": f"{details.exam_title}, exam {exam[0]} version {exam[1]}.",
        "criteria": criteria,
        "humanCode": details.exam_id,
        "version": details.exam_version,
        "resultDescription": results,
    }
    return {
        "@context": CONTEXT,
        "id": _urn("credential", code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did_key(public), "type": ["Profile"], "name": issuer},
        "validFrom": f"{details.date}T00:00:00Z",
        "awardedDate": f"{details.date}T00:00:00Z",
        "validUntil": f"{details.expires}T23:59:59Z",
        "name": f"{details.exam_title}: {details.name}",
        "description": f"Certificate code {code}.",
        "credentialSubject": {
            "id": _urn("learner", fingerprint, details.learner_id),
            "type": ["AchievementSubject"],
            "identifier": [
                _identity("name", details.name),
                _identity("identifier", details.learner_id),
            ],
            "achievement": achievement,
            "result": [
                _result(exam, "points", points),
                _result(exam, "percent", details.percent),
            ],
        },
        "credentialSchema": [
            {"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}
        ],
    }


def _result_description(
    exam: tuple[str, str], name: str, title: str, kind: str
) -> dict[str, object]:
    return {
        "id": _urn("result", *exam, name),
        "type": ["ResultDescription"],
        "name": title,
        "resultType": kind,
    }


def _result(exam: tuple[str, str], name: str, value: str) -> dict[str, object]:
    return {
        "type": ["Result"],
        "resultDescription": _urn("result", *exam, name),
        "value": value,
    }


def _identity(kind: str, value: str) -> dict:
    return {
        "type": "IdentityObject",
        "identityType": kind,
        "hashed": False,
        "identityHash": value,
    }


def issue_jwt(
    details: Details, keys: secret.Keys, issuer: str, criteria_url: str = ""
) -> str:
    """The credential as a compact JWS (the Open Badges 3.0 JWT proof format)."""
    credential = credential_for(details, keys.public_key, issuer, criteria_url)
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": _epoch(credential["validFrom"]),
        "exp": _epoch(credential["validUntil"]),
    }
    header = {"alg": ALG, "typ": TYP, "jwk": secret.jwk(keys.public_key)}
    payload = json.dumps({**credential, **claims}, ensure_ascii=False)
    return jws.serialize_compact(
        header, payload.encode(), private_jwk(keys), registry=REGISTRY
    )


def private_jwk(keys: secret.Keys) -> OKPKey:
    """The signing key in joserfc's form (it never leaves this process)."""
    pem = keys.signing_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return OKPKey.import_key(pem)


def public_jwk(public: Ed25519PublicKey) -> OKPKey:
    """A verifying key in joserfc's form."""
    jwk: dict[str, str | list[str]] = {**secret.jwk(public)}  # joserfc's DictKey
    return OKPKey.import_key(jwk)


def _epoch(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp).replace(tzinfo=UTC).timestamp())


@cache
def schema() -> dict:
    """The Open Badges 3.0 AchievementCredential JSON schema shipped in the package."""
    path = resources.files("smm_playbook.grading") / "schemas"
    return json.loads((path / "ob_v3p0_achievementcredential.json").read_text())


def schema_errors(credential: dict) -> list[str]:
    """Every place the credential breaks the OB 3.0 schema (empty if none)."""
    validator = jsonschema.Draft201909Validator(
        schema(), format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or 'credential'}: {e.message}"
        for e in validator.iter_errors(credential)
    ]


def verify_jwt(text: str, public_keys: list[Ed25519PublicKey]) -> Verdict:
    """Check an Open Badges credential (compact JWS) against the public key(s)."""
    text = text.strip()
    if len(text) > 100_000 or not COMPACT.match(text):
        return not_genuine(KIND, "The file is not an Open Badges credential (JWT).")
    try:
        header = json.loads(secret.b64decode(text.split(".")[0]))
        fingerprint = secret.fingerprint(_public_from_jwk(header["jwk"]))
    except (ValueError, KeyError, TypeError):
        return not_genuine(KIND, "The credential's header is damaged.")
    trusted = {secret.fingerprint(k): k for k in public_keys}
    if header.get("alg") != ALG or set(header) != {"alg", "typ", "jwk"}:
        return not_genuine(
            KIND, "The credential is not signed the way this course signs."
        )
    if fingerprint not in trusted:
        return not_genuine(KIND, unknown_key(fingerprint, trusted))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key = public_jwk(trusted[fingerprint])
            payload = json.loads(
                jws.deserialize_compact(text, key, registry=REGISTRY).payload
            )
    except (JoseError, ValueError):
        return not_genuine(
            KIND,
            "The credential's signature does not match its contents: it was "
            "changed after it was issued, or the signature was made up.",
        )
    return _check_payload(payload, trusted[fingerprint], fingerprint)


def _check_payload(payload, public: Ed25519PublicKey, fingerprint: str) -> Verdict:
    errors = schema_errors(payload) if isinstance(payload, dict) else ["not JSON"]
    if errors:
        return not_genuine(
            KIND, "The credential breaks the Open Badges 3.0 schema: " + errors[0]
        )
    try:
        details, issuer, criteria_url = _details(payload)
        expected = credential_for(details, public, issuer, criteria_url)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return not_genuine(KIND, "The credential lacks details a pass certifies.")
    claims = {k: payload.pop(k, None) for k in ("iss", "jti", "sub", "nbf", "exp")}
    wanted = {
        "iss": expected["issuer"]["id"],
        "jti": expected["id"],
        "sub": expected["credentialSubject"]["id"],
        "nbf": _epoch(expected["validFrom"]),
        "exp": _epoch(expected["validUntil"]),
    }
    if payload != expected or claims != wanted:
        return Verdict(
            False,
            ("The credential is signed, but it is not one this course issues.",),
            details,
            KIND,
        )
    code = code_for(details, fingerprint)
    return Verdict(True, (), details, KIND, code, fingerprint, issuer)


def _details(credential: dict) -> tuple[Details, str, str]:
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    ids = {i["identityType"]: i["identityHash"] for i in subject["identifier"]}
    results = [r["value"] for r in subject["result"]]
    points_max = achievement["resultDescription"][0]["valueMax"]
    details = Details(
        learner_id=ids["identifier"],
        name=ids["name"],
        exam_id=achievement["humanCode"],
        exam_version=achievement["version"],
        exam_title=achievement["name"],
        score=f"{results[0]}/{points_max}",
        percent=results[1],
        date=credential["validFrom"][:10],
        expires=credential["validUntil"][:10],
    )
    return details, credential["issuer"]["name"], achievement["criteria"].get("id", "")


def _public_from_jwk(jwk: dict) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
        raise ValueError("not an Ed25519 public JWK")
    return Ed25519PublicKey.from_public_bytes(secret.b64decode(jwk["x"]))
