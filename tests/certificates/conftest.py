"""Shared fixtures: one throw-away PKI per test session (key generation is the slow part)."""

from __future__ import annotations

import shutil

import pytest

from certificates import pki as pki_module
from certificates import render, samples, signing
from certificates.documents import DocumentKind


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="session")
def pki(pki_dir):
    return pki_module.ensure_test_pki(pki_dir)


@pytest.fixture(scope="session")
def pki_source(pki_dir, pki):
    return signing.PKISource(test_pki_dir=str(pki_dir))


@pytest.fixture(scope="session")
def signer(pki_source):
    return signing.process_signer(pki_source)


@pytest.fixture(scope="session")
def diploma(pki):
    return samples.sample_document(pki.code_key, kind=DocumentKind.DIPLOMA, name="Şükrü Öztürk")


@pytest.fixture(scope="session")
def signed_diploma(diploma, signer):
    return signing.sign_pdf(render.render_document(diploma, language="nl"), signer)


@pytest.fixture(scope="session")
def pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils")
    return path


@pytest.fixture(scope="session")
def pdfsig():
    path = shutil.which("pdfsig")
    if path is None:
        pytest.skip("pdfsig (poppler-utils) is not installed: apt-get install -y poppler-utils")
    return path
