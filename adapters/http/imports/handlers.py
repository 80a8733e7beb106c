"""The import resources under /api/v1, bound to the import services by ``import_handlers``.

Register with ``HttpOptions(api_handlers=(*import_handlers(services), ...))``. The write side is
synchronous (``sync_to_thread=True``); uploads are read into memory up to 64 MiB (413 beyond).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Request, Router, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody

from adapters.http.imports import examples as ex
from adapters.http.imports.schemas import (
    Created,
    CsvMappingIn,
    CsvMappingOut,
    ImportAccepted,
    ImportOut,
    LineErrorOut,
    RuleIn,
    RuleList,
    RuleOut,
)
from adapters.http.openapi import answers
from adapters.imports.wiring import ImportServices
from application.import_mapping import mapping_from_dict, mapping_to_dict
from application.imports import Imports, ImportView
from application.rules import RuleInput, Rules
from application.statement import MAX_STATEMENT_BYTES
from domain.rule import RuleSpec

_MULTIPART_SLACK = 1024 * 1024  # headers and the small fields around the file


class PayloadTooLarge(HTTPException):
    status_code = 413


@dataclass
class UploadForm:
    file: UploadFile
    format: str = "auto"
    mapping: str | None = None  # a JSON object, as for PUT csv-mapping


@post(
    "/accounts/{account_id:uuid}/imports",
    operation_id="requestImport",
    summary="Upload a statement file to import (202: it runs in the background)",
    tags=["imports"],
    status_code=202,
    responses=answers(
        202, ImportAccepted, ex.ACCEPTED, description="Queued", problems=(400, 404, 413, 422)
    ),
    request_max_body_size=MAX_STATEMENT_BYTES + _MULTIPART_SLACK,
)
async def request_import(
    request: Request[Any, Any, Any],
    account_id: FromPath[UUID],
    data: MultipartBody[UploadForm],
    imports: NamedDependency[Imports],
) -> ImportAccepted:
    content = await data.file.read(MAX_STATEMENT_BYTES + 1)
    if len(content) > MAX_STATEMENT_BYTES:
        raise PayloadTooLarge(detail=f"statements are limited to {MAX_STATEMENT_BYTES >> 20} MiB")
    mapping = None
    if data.mapping:
        try:
            raw = msgspec.json.decode(data.mapping.encode(), type=dict[str, Any])
        except msgspec.DecodeError:
            raise HTTPException(status_code=400, detail="mapping is not a JSON object") from None
        mapping = mapping_from_dict(raw)
    user_id = request.user.user_id
    key = request.headers.get("idempotency-key")
    batch_id = await anyio.to_thread.run_sync(
        lambda: imports.request(
            user_id,
            account_id,
            content,
            format=data.format,
            filename=data.file.filename,
            mapping=mapping,
            idempotency_key=key,
        )
    )
    return ImportAccepted(id=batch_id)


@get(
    "/imports/{import_id:uuid}",
    operation_id="getImport",
    summary="An import's status, counts and per-line errors",
    tags=["imports"],
    responses=answers(200, ImportOut, ex.IMPORT, description="The import", problems=(404,)),
    sync_to_thread=True,
)
def get_import(
    request: Request[Any, Any, Any], import_id: FromPath[UUID], imports: NamedDependency[Imports]
) -> ImportOut:
    return _import_out(imports.status(request.user.user_id, import_id))


@post(
    "/imports/{import_id:uuid}/revert",
    operation_id="revertImport",
    summary="Delete every transaction this import recorded (and only those)",
    tags=["imports"],
    status_code=200,
    responses=answers(200, ImportOut, ex.IMPORT, description="Reverted", problems=(404, 409)),
    sync_to_thread=True,
)
def revert_import(
    request: Request[Any, Any, Any], import_id: FromPath[UUID], imports: NamedDependency[Imports]
) -> ImportOut:
    return _import_out(imports.revert(request.user.user_id, import_id))


@get(
    "/accounts/{account_id:uuid}/csv-mapping",
    operation_id="getCsvMapping",
    summary="The account's remembered CSV mapping, or one suggested from an import's file",
    tags=["imports"],
    responses=answers(
        200, CsvMappingOut, ex.CSV_MAPPING, description="The mapping", problems=(404,)
    ),
    sync_to_thread=True,
)
def get_csv_mapping(
    request: Request[Any, Any, Any],
    account_id: FromPath[UUID],
    imports: NamedDependency[Imports],
    import_id: FromQuery[UUID | None] = None,
) -> CsvMappingOut:
    mapping, remembered = imports.csv_mapping(
        request.user.user_id, account_id, from_import=import_id
    )
    return CsvMappingOut(remembered, None if mapping is None else mapping_to_dict(mapping))


@put(
    "/accounts/{account_id:uuid}/csv-mapping",
    operation_id="confirmCsvMapping",
    summary="Confirm the account's CSV mapping (used for its next CSV files)",
    tags=["imports"],
    responses=answers(
        200, CsvMappingOut, ex.CSV_MAPPING, description="Remembered", problems=(400, 404, 422)
    ),
    sync_to_thread=True,
)
def put_csv_mapping(
    request: Request[Any, Any, Any],
    account_id: FromPath[UUID],
    data: JSONBody[CsvMappingIn],
    imports: NamedDependency[Imports],
) -> CsvMappingOut:
    mapping = mapping_from_dict(data.mapping)
    imports.confirm_csv_mapping(request.user.user_id, account_id, mapping)
    return CsvMappingOut(True, mapping_to_dict(mapping))


@get(
    "/rules",
    operation_id="listRules",
    summary="Categorisation rules, in the order tried",
    tags=["rules"],
    sync_to_thread=True,
    responses=answers(200, RuleList, ex.RULES, description="The rules", problems=()),
)
def list_rules(request: Request[Any, Any, Any], rules: NamedDependency[Rules]) -> RuleList:
    found = rules.list(request.user.user_id)
    return RuleList([_rule_out(rule, i) for i, rule in enumerate(found)])


@post(
    "/rules",
    operation_id="createRule",
    summary="Add a categorisation rule",
    tags=["rules"],
    status_code=201,
    sync_to_thread=True,
    responses=answers(201, Created, ex.CREATED, description="Created", problems=(400, 422)),
)
def create_rule(
    request: Request[Any, Any, Any], data: JSONBody[RuleIn], rules: NamedDependency[Rules]
) -> Created:
    outcome = rules.create(request.user.user_id, _rule_input(data))
    return Created(UUID(outcome.answer["id"]))


@get(
    "/rules/{rule_id:uuid}",
    operation_id="getRule",
    summary="A categorisation rule",
    tags=["rules"],
    sync_to_thread=True,
    responses=answers(200, RuleOut, ex.RULE, description="The rule", problems=(404,)),
)
def get_rule(
    request: Request[Any, Any, Any], rule_id: FromPath[UUID], rules: NamedDependency[Rules]
) -> RuleOut:
    user_id = request.user.user_id
    found = rules.list(user_id)
    rule = rules.get(user_id, rule_id)
    return _rule_out(rule, [r.id for r in found].index(rule_id))


@put(
    "/rules/{rule_id:uuid}",
    operation_id="updateRule",
    summary="Replace a categorisation rule",
    tags=["rules"],
    sync_to_thread=True,
    responses=answers(200, RuleOut, ex.RULE, description="Replaced", problems=(400, 404, 422)),
)
def update_rule(
    request: Request[Any, Any, Any],
    rule_id: FromPath[UUID],
    data: JSONBody[RuleIn],
    rules: NamedDependency[Rules],
) -> RuleOut:
    user_id = request.user.user_id
    rules.update(user_id, rule_id, _rule_input(data))
    found = rules.list(user_id)
    return _rule_out(rules.get(user_id, rule_id), [r.id for r in found].index(rule_id))


@delete(
    "/rules/{rule_id:uuid}",
    operation_id="deleteRule",
    summary="Remove a categorisation rule",
    tags=["rules"],
    sync_to_thread=True,
    responses=answers(204, None, None, description="Removed", problems=(404,)),
)
def delete_rule(
    request: Request[Any, Any, Any], rule_id: FromPath[UUID], rules: NamedDependency[Rules]
) -> None:
    rules.delete(request.user.user_id, rule_id)


def import_handlers(services: ImportServices) -> tuple[Router]:
    """The import and rule resources, with their services bound."""
    return (
        Router(
            path="/",
            route_handlers=[
                request_import,
                get_import,
                revert_import,
                get_csv_mapping,
                put_csv_mapping,
                list_rules,
                create_rule,
                get_rule,
                update_rule,
                delete_rule,
            ],
            dependencies={
                "imports": Provide(lambda: services.imports, use_cache=True, sync_to_thread=False),
                "rules": Provide(lambda: services.rules, use_cache=True, sync_to_thread=False),
            },
        ),
    )


def _import_out(view: ImportView) -> ImportOut:
    return ImportOut(
        id=view.id,
        account_id=view.account_id,
        status=view.status,
        format=view.format,
        filename=view.filename,
        lines_seen=view.lines_seen,
        lines_new=view.lines_new,
        lines_duplicate=view.lines_duplicate,
        lines_failed=view.lines_failed,
        lines_changed=view.lines_changed,
        lines_reverted=view.lines_reverted,
        errors=[LineErrorOut(e.line_no, e.reason) for e in view.errors],
        reason=view.reason,
    )


def _rule_input(data: JSONBody[RuleIn]) -> RuleInput:
    return RuleInput(
        name=data.name,
        contains=data.contains,
        matches=data.matches,
        amount_min=data.amount_min,
        amount_max=data.amount_max,
        account_id=data.account_id,
        category_id=data.category_id,
        tags=tuple(data.tags),
        position=data.position,
    )


def _rule_out(rule: RuleSpec, position: int) -> RuleOut:
    return RuleOut(
        id=rule.id,
        name=rule.name,
        contains=dict(rule.contains),
        matches=dict(rule.matches),
        amount_min=None if rule.amount_min is None else str(rule.amount_min),
        amount_max=None if rule.amount_max is None else str(rule.amount_max),
        account_id=rule.account_id,
        category_id=rule.category_id,
        tags=list(rule.tags),
        position=position,
    )
