"""End-to-end tests of `raci-lint server` with a real LSP client (pytest-lsp): initialize, open,
change, hover, completion, code action and applying it, close, bad input, shutdown.

    cargo build --locked && python3 -m pytest tests/lsp -q

RACI_LINT_BIN names the binary (default: target/debug/raci-lint).
"""
import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("RACI_LINT_BIN", str(ROOT / "target" / "debug" / "raci-lint"))

OWNERSHIP = """\
# Shop team duties
provider: sysbee
offering: managed-magento
teams: { webteam: {}, ops: {} }
responsibilities:
  web-application-security: webteam
  server-os-patching: ops
"""

PLAYBOOK = """\
- hosts: shop
  tasks:
    - name: Patch the servers
      apt:
        upgrade: dist
"""


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "raci.yaml").write_text(OWNERSHIP)
    (tmp_path / "ansible").mkdir()
    (tmp_path / "ansible" / "patch.yml").write_text(PLAYBOOK)
    return tmp_path


def uri(path):
    return pathlib.Path(path).as_uri()


def start(utf8=False):
    general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
        if utf8
        else None
    )
    return types.ClientCapabilities(
        general=general,
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True
            )
        ),
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "server"]))
async def client(lsp_client: LanguageClient, workspace):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):
        return None

    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=start(),
            root_uri=uri(workspace),
            workspace_folders=[types.WorkspaceFolder(uri=uri(workspace), name="shop")],
        )
    )
    lsp_client.result = result
    lsp_client.root = workspace
    yield
    await lsp_client.shutdown_session()


def open_doc(client, path, text, version=1):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(path), language_id="yaml", version=version, text=text
            )
        )
    )


def change(client, path, text, version):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(client, path):
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics.get(uri(path), [])


async def actions_for(client, path, diagnostic):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


async def hover_at(client, path, line, character):
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            position=types.Position(line=line, character=character),
        )
    )


async def complete_at(client, path, line, character):
    return await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            position=types.Position(line=line, character=character),
        )
    )


def codes(diags):
    return sorted(d.code for d in diags)


def apply_edits(text, edits):
    lines = text.splitlines(keepends=True)

    def offset(pos):
        return sum(len(l) for l in lines[: pos.line]) + pos.character

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_capabilities_default_to_utf16(client: LanguageClient):
    caps = client.result.capabilities
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.hover_provider
    assert caps.completion_provider is not None
    assert caps.code_action_provider


async def test_diagnostics_follow_the_buffer_as_it_is_typed(client: LanguageClient):
    path = client.root / "raci.yaml"
    open_doc(client, path, OWNERSHIP)
    diags = await diagnostics(client, path)
    claims = [d for d in diags if d.code == "claims-provider-duty"]
    assert len(claims) == 1, codes(diags)
    d = claims[0]
    # `server-os-patching: ops` on line 7 (0-based 6), from column 3 (0-based 2).
    assert (d.range.start.line, d.range.start.character) == (6, 2)
    assert (d.range.end.line, d.range.end.character) == (6, 25)
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.source == "raci-lint"
    assert "help:" in d.message
    # No save: the unsaved buffer is what counts.
    fixed = OWNERSHIP.replace("  server-os-patching: ops\n", "")
    change(client, path, fixed, 2)
    diags = await diagnostics(client, path)
    assert "claims-provider-duty" not in codes(diags)


async def test_quick_fix_applies_and_the_finding_goes(client: LanguageClient):
    path = client.root / "raci.yaml"
    open_doc(client, path, OWNERSHIP)
    diags = await diagnostics(client, path)
    claims = next(d for d in diags if d.code == "claims-provider-duty")
    actions = await actions_for(client, path, claims)
    titles = [a.title for a in actions]
    fix = next(a for a in actions if a.title == "Keep `ops` as informed only")
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is False  # unsafe: a guess
    edits = fix.edit.changes[uri(path)]
    new_text = apply_edits(OWNERSHIP, edits)
    assert "  server-os-patching: { informed: ops }\n" in new_text, titles
    change(client, path, new_text, 2)
    diags = await diagnostics(client, path)
    assert "claims-provider-duty" not in codes(diags)


async def test_declare_the_missing_duties(client: LanguageClient):
    path = client.root / "raci.yaml"
    text = "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\n"
    open_doc(client, path, text)
    diags = await diagnostics(client, path)
    unowned = [d for d in diags if d.code == "unowned-duty"]
    assert unowned, codes(diags)
    actions = await actions_for(client, path, unowned[0])
    declare = next(a for a in actions if a.title.startswith("Declare the missing duties"))
    new_text = apply_edits(text, declare.edit.changes[uri(path)])
    assert new_text.startswith(text)
    added = new_text[len(text) :].splitlines()
    assert len(added) == len(unowned)
    assert all(l.startswith("  ") and l.endswith(": TODO") for l in added)


async def test_hover_on_an_activity_and_a_provider(client: LanguageClient):
    path = client.root / "raci.yaml"
    open_doc(client, path, OWNERSHIP)
    await diagnostics(client, path)
    hover = await hover_at(client, path, 6, 5)
    assert "server-os-patching" in hover.contents.value
    assert "Sysbee" in hover.contents.value
    assert "This file: `ops`" in hover.contents.value
    hover = await hover_at(client, path, 1, 12)
    assert "provider" in hover.contents.value


async def test_completion_of_activities_teams_and_providers(client: LanguageClient):
    path = client.root / "raci.yaml"
    text = OWNERSHIP + "  loc"
    open_doc(client, path, text)
    await diagnostics(client, path)
    items = await complete_at(client, path, 7, 5)
    labels = [i.label for i in items]
    assert "local-backup" in labels
    # Declared already: not offered again.
    assert "server-os-patching" not in labels
    text = "provider: sy"
    change(client, path, text, 2)
    await diagnostics(client, path)
    items = await complete_at(client, path, 0, 12)
    assert {"sysbee", "cegedim-cloud"} <= {i.label for i in items}
    text = OWNERSHIP + "  local-backup: "
    change(client, path, text, 3)
    await diagnostics(client, path)
    items = await complete_at(client, path, 7, 16)
    assert {"webteam", "ops"} <= {i.label for i in items}


async def test_evidence_on_open_with_the_ownership_file_related(client: LanguageClient):
    path = client.root / "ansible" / "patch.yml"
    open_doc(client, path, PLAYBOOK)
    diags = await diagnostics(client, path)
    evidence = [d for d in diags if d.code == "performs-provider-duty"]
    assert evidence, codes(diags)
    related = evidence[0].related_information
    assert related and related[0].location.uri == uri(client.root / "raci.yaml")
    actions = await actions_for(client, path, evidence[0])
    allow = next(a for a in actions if a.title.startswith("Allow"))
    new_text = apply_edits(PLAYBOOK, allow.edit.changes[uri(path)])
    assert "# raci-lint: allow(server-os-patching) REASON\n" in new_text
    # With a reason, the match is allowed.
    change(client, path, new_text.replace("REASON", "lab VMs"), 2)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            text=new_text.replace("REASON", "lab VMs"),
        )
    )
    diags = await diagnostics(client, path)
    assert "performs-provider-duty" not in codes(diags)


async def test_closing_goes_back_to_the_disk(client: LanguageClient):
    path = client.root / "raci.yaml"
    open_doc(client, path, "provider: sysbe\n")
    diags = await diagnostics(client, path)
    assert codes(diags) == ["unknown-provider"]
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(path)))
    )
    diags = await diagnostics(client, path)
    # The file on disk has the claims-provider-duty finding, not the buffer's typo.
    assert "claims-provider-duty" in codes(diags)
    assert "unknown-provider" not in codes(diags)


async def test_bad_input_never_stops_the_server(client: LanguageClient):
    path = client.root / "raci.yaml"
    open_doc(client, path, "provider: [unclosed\n\t- : : :\n")
    diags = await diagnostics(client, path)
    assert codes(diags) == ["invalid-yaml"]
    # Half-typed keys, then a 4 MiB paste.
    change(client, path, "provider: sysbee\nrespons", 2)
    await diagnostics(client, path)
    change(client, path, "provider: sysbee\n# " + "x" * (4 * 1024 * 1024) + "\n", 3)
    await diagnostics(client, path)
    # A document that was never opened: an error response, not a crash.
    with pytest.raises(Exception):
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri(client.root / "nope.yaml")),
                position=types.Position(line=0, character=0),
            )
        )
    # Positions past the end of the buffer are clamped.
    items = await complete_at(client, path, 999, 999)
    assert isinstance(items, list)
    # Still answering.
    change(client, path, OWNERSHIP, 4)
    diags = await diagnostics(client, path)
    assert "claims-provider-duty" in codes(diags)


async def test_config_changes_take_effect_without_a_restart(client: LanguageClient):
    path = client.root / "raci.yaml"
    open_doc(client, path, OWNERSHIP)
    diags = await diagnostics(client, path)
    assert "claims-provider-duty" in codes(diags)
    config = client.root / "raci-lint.yaml"
    config.write_text("severity: { claims-provider-duty: off }\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(config), type=types.FileChangeType.Created)]
        )
    )
    diags = await diagnostics(client, path)
    assert "claims-provider-duty" not in codes(diags)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "server"]))
async def utf8_client(lsp_client: LanguageClient, workspace):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):
        return None

    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=start(utf8=True), root_uri=uri(workspace))
    )
    lsp_client.result = result
    lsp_client.root = workspace
    yield
    await lsp_client.shutdown_session()


async def test_utf8_positions_when_the_client_offers_them(utf8_client: LanguageClient):
    client = utf8_client
    assert client.result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    path = client.root / "raci.yaml"
    # "é" is 2 bytes, 1 UTF-16 unit: the range of `sysbé` ends at byte 16.
    open_doc(client, path, "provider: sysbé\n")
    diags = await diagnostics(client, path)
    (d,) = diags
    assert d.code == "unknown-provider"
    assert (d.range.start.character, d.range.end.character) == (10, 16)


async def test_the_config_file_is_checked_from_its_buffer(client: LanguageClient):
    path = client.root / "raci-lint.yaml"
    open_doc(client, path, "severity: { unowned-duty: error }\nmax-findngs: 10\n")
    diags = await diagnostics(client, path)
    assert codes(diags) == ["invalid-yaml"]
    assert diags[0].range.start.line == 1
    assert "max-findings" in diags[0].message


async def test_hover_on_a_waiver_code_and_completion_of_plans_and_roles(client: LanguageClient):
    path = client.root / "raci.yaml"
    text = (
        "provider: cegedim-cloud\nplan: self-service\nresponsibilities:\n  usage:\n    \n"
        "waivers:\n  - code: unowned-duty\n    reason: later\n"
    )
    open_doc(client, path, text)
    await diagnostics(client, path)
    hover = await hover_at(client, path, 6, 12)
    assert "unowned-duty" in hover.contents.value
    roles = await complete_at(client, path, 4, 4)
    assert {"responsible", "accountable", "consulted", "informed"} <= {i.label for i in roles}
    change(client, path, "provider: cegedim-cloud\nplan: ", 2)
    await diagnostics(client, path)
    plans = await complete_at(client, path, 1, 6)
    assert "self-service" in {i.label for i in plans}


@pytest.fixture
def two_folders(tmp_path):
    for name, config in (("shop", "severity: { claims-provider-duty: off }\n"), ("blog", None)):
        folder = tmp_path / name
        (folder / ".git").mkdir(parents=True)
        (folder / "raci.yaml").write_text(OWNERSHIP)
        if config:
            (folder / "raci-lint.yaml").write_text(config)
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "server"]))
async def multi_client(lsp_client: LanguageClient, two_folders):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):
        return None

    folders = [
        types.WorkspaceFolder(uri=uri(two_folders / name), name=name) for name in ("shop", "blog")
    ]
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=start(), workspace_folders=folders)
    )
    lsp_client.root = two_folders
    yield
    await lsp_client.shutdown_session()


async def test_each_workspace_folder_has_its_own_config(multi_client: LanguageClient):
    client = multi_client
    shop, blog = client.root / "shop" / "raci.yaml", client.root / "blog" / "raci.yaml"
    open_doc(client, shop, OWNERSHIP)
    assert "claims-provider-duty" not in codes(await diagnostics(client, shop))
    open_doc(client, blog, OWNERSHIP)
    assert "claims-provider-duty" in codes(await diagnostics(client, blog))
    # The shop folder's config still holds after the blog folder was checked.
    change(client, shop, OWNERSHIP + "\n", 2)
    assert "claims-provider-duty" not in codes(await diagnostics(client, shop))
