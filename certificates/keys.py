"""Where this deployment's signing keys come from: settings name them, the pure core loads them."""

from __future__ import annotations

import functools

from django.conf import settings

from .pki import PKI
from .signing import PKISource


def pki_source() -> PKISource:
    config = settings.CERTIFICATES
    if config["TEST_PKI_DIR"]:
        return PKISource(test_pki_dir=config["TEST_PKI_DIR"])
    return PKISource(signer_key_path=config["SIGNER_KEY_PATH"], signer_cert_path=config["SIGNER_CERT_PATH"],
                     chain_paths=tuple(config["CHAIN_PATHS"]), code_key_path=config["CODE_KEY_PATH"])


@functools.cache
def _pki(source: PKISource) -> PKI:
    return source.load()


def current_pki() -> PKI:
    return _pki(pki_source())
