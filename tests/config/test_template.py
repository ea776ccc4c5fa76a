"""The packaged CloudFormation template: what `serverless deploy` would send to AWS.

Packages once per run (real `serverless package`, requirements included) and checks the
template with cfn-lint, the resource budget, IAM, and the event plumbing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from scripts.stack import ROOT
from tests.config import packaged as pk
from tests.config.packaged import (
    ARTIFACT,
    RESOURCE_BUDGET,
    RESOURCE_LIMIT,
    SHARED_LOGS,
    TEMPLATE,
    resources_of,
)

pytestmark = pytest.mark.template

EDGE_DIR = ROOT / ".serverless-edge"  # the template with edge protection on (gitignored)
EDGE_TEMPLATE = EDGE_DIR / "cloudformation-template-update-stack.json"


@pytest.fixture(scope="module")
def edge_template(template: dict[str, Any]) -> dict[str, Any]:
    """The template as ``--param edgeProtection=true --param edgeOriginSecret=…`` makes it:
    that stage param only sets the ``EdgeProtection`` parameter's default, and the secret
    its two copies. Derived rather than packaged a second time: packaging is slow, and
    while it zips ``.serverless/requirements`` a ``serverless offline`` starting on another
    xdist worker (tests/e2e) rebuilds that directory, so every extra package is one more
    chance of a corrupted zip."""
    edge = json.loads(json.dumps(template))
    edge["Parameters"]["EdgeProtection"]["Default"] = "true"
    secret = "a-test-origin-secret"
    config = edge["Resources"]["EdgeDistribution"]["Properties"]["DistributionConfig"]
    config["Origins"][0]["OriginCustomHeaders"][0]["HeaderValue"] = secret
    for resource in edge["Resources"].values():
        variables = resource.get("Properties", {}).get("Environment", {}).get("Variables", {})
        if "EDGE_ORIGIN_SECRET" in variables:
            variables["EDGE_ORIGIN_SECRET"] = secret
    EDGE_DIR.mkdir(exist_ok=True)
    EDGE_TEMPLATE.write_text(json.dumps(edge))
    return edge  # type: ignore[no-any-return]


def _cfn_lint(path: Path) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_cfn_lint_passes(template: dict[str, Any]) -> None:
    _cfn_lint(TEMPLATE)


def test_edge_protection_is_declared_and_off_by_default(template: dict[str, Any]) -> None:
    assert template["Parameters"]["EdgeProtection"]["Default"] == "false"
    assert template["Conditions"]["EdgeProtection"]["Fn::And"] == [
        {"Fn::Equals": [{"Ref": "EdgeProtection"}, "true"]},
        {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},  # CLOUDFRONT scope: us-east-1
    ]
    for name in ("EdgeWebAcl", "EdgeDistribution"):
        assert template["Resources"][name]["Condition"] == "EdgeProtection"


def test_edge_protection_on_is_cfn_lint_clean_with_waf_in_front_of_the_api(
    edge_template: dict[str, Any],
) -> None:
    _cfn_lint(EDGE_TEMPLATE)
    assert edge_template["Parameters"]["EdgeProtection"]["Default"] == "true"
    acl = edge_template["Resources"]["EdgeWebAcl"]["Properties"]
    assert acl["Scope"] == "CLOUDFRONT"
    rates = [r["Statement"]["RateBasedStatement"] for r in acl["Rules"]]
    assert all(r["AggregateKeyType"] == "IP" for r in rates)
    config = edge_template["Resources"]["EdgeDistribution"]["Properties"]["DistributionConfig"]
    assert config["WebACLId"] == {"Fn::GetAtt": ["EdgeWebAcl", "Arn"]}
    (origin,) = config["Origins"]
    assert {"Ref": "HttpApi"} in origin["DomainName"]["Fn::Join"][1]
    assert origin["OriginCustomHeaders"] == [
        {"HeaderName": "X-Origin-Verify", "HeaderValue": "a-test-origin-secret"}
    ]
    environment = edge_template["Resources"]["LoginLambdaFunction"]["Properties"]["Environment"]
    assert environment["Variables"]["EDGE_ORIGIN_SECRET"] == "a-test-origin-secret"


def test_resource_count_keeps_a_margin_under_cloudformations_limit(
    template: dict[str, Any],
) -> None:
    count = len(template["Resources"])
    functions = len(resources_of(template, "AWS::Lambda::Function"))
    assert count <= RESOURCE_BUDGET < RESOURCE_LIMIT, (
        f"{count} resources for {functions} functions: split the stack (see docs/architecture.md)"
    )
    # Versions are off: one resource fewer per function.
    assert not resources_of(template, "AWS::Lambda::Version")


def test_every_function_runs_python_313_and_logs_to_the_one_bounded_group(
    template: dict[str, Any],
) -> None:
    functions = resources_of(template, "AWS::Lambda::Function")
    assert functions
    for name, function in functions.items():
        assert function["Properties"]["Runtime"] == "python3.13", name
        assert function["Properties"]["LoggingConfig"] == {"LogGroup": "/aws/lambda/bazaar-dev"}
    # one group, not one per function: a function without `disableLogs: true` would add its own
    groups = resources_of(template, "AWS::Logs::LogGroup")
    assert list(groups) == ["FunctionLogs"]
    assert groups["FunctionLogs"]["Properties"] == {
        "LogGroupName": "/aws/lambda/bazaar-dev",
        "RetentionInDays": 30,
    }


def test_the_table_is_the_one_the_data_model_describes(template: dict[str, Any]) -> None:
    (table,) = resources_of(template, "AWS::DynamoDB::Table").values()
    props = table["Properties"]
    assert [k["AttributeName"] for k in props["KeySchema"]] == ["PK", "SK"]
    assert sorted(i["IndexName"] for i in props["GlobalSecondaryIndexes"]) == [
        "GSI1",
        "GSI2",
        "GSI3",
        "GSI4",
        "GSI5",
    ]
    assert props["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert table["DeletionPolicy"] == "Retain"


def test_iam_grants_no_scan_and_only_real_actions(template: dict[str, Any]) -> None:
    roles = resources_of(template, "AWS::IAM::Role").values()
    actions = [
        action
        for role in roles
        for policy in role["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    ]
    assert "dynamodb:Scan" not in actions
    assert "dynamodb:*" not in actions
    assert "dynamodb:TransactWriteItems" not in actions  # not an IAM action


def test_workers_report_partial_batch_failures(template: dict[str, Any]) -> None:
    mappings = resources_of(template, "AWS::Lambda::EventSourceMapping")
    # publishEvents, sendNotification, recordEvent, startCheckout, settleRefunds (issue 9),
    # processModels (issue 14), indexProducts (issue 11), renderInvoices (issue 10)
    assert len(mappings) == 8
    for name, mapping in mappings.items():
        assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"], name


def test_queues_have_dead_letter_queues(template: dict[str, Any]) -> None:
    queues = resources_of(template, "AWS::SQS::Queue")
    consumed = [
        q
        for q in queues.values()
        if not q["Properties"]["QueueName"].endswith(("-dlq", "-failures"))
    ]
    assert consumed
    for queue in consumed:
        assert queue["Properties"]["RedrivePolicy"]["maxReceiveCount"] >= 1


def test_http_api_has_default_throttling_and_a_request_authorizer(template: dict[str, Any]) -> None:
    (stage,) = resources_of(template, "AWS::ApiGatewayV2::Stage").values()
    settings = stage["Properties"]["DefaultRouteSettings"]
    assert settings["ThrottlingBurstLimit"] > 0
    assert settings["ThrottlingRateLimit"] > 0
    (authorizer,) = resources_of(template, "AWS::ApiGatewayV2::Authorizer").values()
    assert authorizer["Properties"]["AuthorizerType"] == "REQUEST"
    assert authorizer["Properties"]["AuthorizerResultTtlInSeconds"] == 0


def test_the_artifact_holds_the_code_and_its_requirements_but_no_tests(
    template: dict[str, Any],
) -> None:
    names = zipfile.ZipFile(ARTIFACT).namelist()
    assert "handlers/auth/login.py" in names
    assert "docs/openapi.json" in names
    assert any(n.startswith("pydantic/") for n in names)
    assert any(n.startswith("pynamodb/") for n in names)
    assert not any(n.startswith(("tests/", "node_modules/", ".venv/", "scripts/")) for n in names)
    assert not any(n.startswith("events/samples/") for n in names)  # make invoke's, not AWS's
    assert not any(n.startswith(("moto/", "pytest/")) for n in names)


# -- the checkout state machine (resources/checkout.yml) --------------------------------

CHECKOUT_TASKS = ("validateOrder", "processPayment", "commitStock", "releaseStock")


def test_the_deployed_machine_is_the_definition_that_runs_locally(
    template: dict[str, Any], config: dict[str, Any]
) -> None:
    """One text: the ASL file is what the template deploys and what scripts/stack.py
    gives the embedded AWS (tests/integration/test_checkout_machine.py checks that side)."""
    from scripts.stack import template_resources

    machine = template["Resources"]["CheckoutStateMachine"]["Properties"]
    source = json.loads((ROOT / "statemachines" / "checkout.asl.json").read_text())
    local = template_resources(config)["CheckoutStateMachine"]["Properties"]
    assert (
        json.dumps(machine["Definition"]) == json.dumps(source) == json.dumps(local["Definition"])
    )
    assert machine["DefinitionSubstitutions"] == local["DefinitionSubstitutions"]
    assert machine["StateMachineType"] == "STANDARD"
    substitutions = machine["DefinitionSubstitutions"]
    assert substitutions == {
        f"{fn[:1].upper()}{fn[1:]}Arn": {"Fn::GetAtt": [pk.logical_id(fn), "Arn"]}
        for fn in CHECKOUT_TASKS
    }
    # every Lambda task names one of them, and nothing else is invoked
    tasks = [
        state["Parameters"]["FunctionName"]
        for state in source["States"].values()
        if state["Type"] == "Task"
    ]
    assert sorted(tasks) == sorted(f"${{{name}}}" for name in substitutions)


def test_the_machine_may_invoke_exactly_its_tasks(template: dict[str, Any]) -> None:
    role = template["Resources"]["CheckoutStateMachineRole"]
    (statement,) = pk.statements(role)
    assert statement["Action"] == "lambda:InvokeFunction"
    assert statement["Resource"] == [
        {"Fn::GetAtt": [pk.logical_id(fn), "Arn"]} for fn in CHECKOUT_TASKS
    ]
    principal = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert principal == {"Service": "states.amazonaws.com"}


def test_start_checkout_has_its_own_role_and_may_only_start_the_machine(
    template: dict[str, Any],
) -> None:
    function = template["Resources"]["StartCheckoutLambdaFunction"]["Properties"]
    assert function["Role"] == {"Fn::GetAtt": ["CheckoutStarterRole", "Arn"]}
    statements = pk.statements(template["Resources"]["CheckoutStarterRole"])
    (start,) = [s for s in statements if s["Action"] == "states:StartExecution"]
    machine_arn = function["Environment"]["Variables"]["CHECKOUT_STATE_MACHINE_ARN"]
    assert start["Resource"] == machine_arn
    assert machine_arn.endswith(":stateMachine:bazaar-dev-checkout")
    actions = {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert not any(a.startswith(("dynamodb:", "sns:", "secretsmanager:")) for a in actions)


def test_the_checkout_queue_takes_only_placed_orders(template: dict[str, Any]) -> None:
    subscription = template["Resources"]["CheckoutSubscription"]["Properties"]
    assert subscription["FilterPolicy"] == {"eventType": ["order.placed"]}
    assert subscription["RawMessageDelivery"] is True


def test_the_safety_net_runs_every_minute(template: dict[str, Any]) -> None:
    (rule,) = resources_of(template, "AWS::Events::Rule").values()
    assert rule["Properties"]["ScheduleExpression"] == "rate(1 minute)"
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["ReleaseExpiredHoldsLambdaFunction", "Arn"]}


# -- payments: only the payment functions may read Stripe's keys (issue 9) ----------------

# The functions that may read the payments secret (resources/payments.yml): the ones that
# call the provider, verify webhooks or manage saved cards, by role. Add yours here.
PAYMENT_ROLES = {
    "PaymentsRole": {
        "startCardSetup",
        "savePaymentMethod",
        "deletePaymentMethod",
        "confirmTestSetupIntent",
        "refundOrder",
        "paymentsTestAuthenticate",
    },
    "PaymentCallbackRole": {"processPayment", "paymentsWebhook"},  # + complete the task
    "RefundsWorkerRole": {"settleRefunds"},  # + its queue
}


def test_the_payment_functions_and_only_they_run_as_the_payment_roles(
    template: dict[str, Any],
) -> None:
    functions = resources_of(template, "AWS::Lambda::Function")
    for role_id, names in PAYMENT_ROLES.items():
        with_role = {
            logical_id
            for logical_id, function in functions.items()
            if function["Properties"].get("Role") == {"Fn::GetAtt": [role_id, "Arn"]}
        }
        assert with_role == {pk.logical_id(name) for name in names}, role_id


def test_only_the_payment_roles_may_read_the_payments_secret(template: dict[str, Any]) -> None:
    secret = {"Ref": "PaymentsSecret"}
    readers = {
        role_id
        for role_id, role in resources_of(template, "AWS::IAM::Role").items()
        for statement in pk.statements(role)
        if secret in pk.resources(statement) or "*" in pk.resources(statement)
        if any(a.startswith("secretsmanager:") for a in pk.actions(statement))
    }
    assert readers == set(PAYMENT_ROLES)


def test_the_payment_roles_hold_the_table_that_secret_the_shared_logs_and_their_own_only(
    template: dict[str, Any],
) -> None:
    own = {
        "PaymentsRole": set(),
        "PaymentCallbackRole": {"states"},
        "RefundsWorkerRole": {"sqs"},
    }
    for role_id, extra in own.items():
        by_service: dict[str, list[dict[str, Any]]] = {}
        for statement in pk.statements(template["Resources"][role_id]):
            (service,) = {a.split(":")[0] for a in pk.actions(statement)}
            by_service.setdefault(service, []).append(statement)
        assert set(by_service) == {"dynamodb", "secretsmanager", "logs"} | extra, role_id
        for statement in by_service.get("sqs", []):
            assert pk.resources(statement) == [{"Fn::GetAtt": ["RefundsQueue", "Arn"]}]
        (secrets_statement,) = by_service["secretsmanager"]
        assert pk.actions(secrets_statement) == ["secretsmanager:GetSecretValue"]
        assert pk.resources(secrets_statement) == [{"Ref": "PaymentsSecret"}]
        (logs,) = by_service["logs"]
        assert sorted(pk.actions(logs)) == ["logs:CreateLogStream", "logs:PutLogEvents"]
        assert pk.resources(logs) == [SHARED_LOGS]


def test_the_payments_secret_is_deployed_without_a_stripe_key(template: dict[str, Any]) -> None:
    """A new stage runs the test mode until an operator writes Stripe's keys into it."""
    props = template["Resources"]["PaymentsSecret"]["Properties"]
    assert props["Name"] == "bazaar-dev-payments"
    generate = props["GenerateSecretString"]
    assert json.loads(generate["SecretStringTemplate"]) == {"secretKey": ""}
    assert generate["GenerateStringKey"] == "webhookSecret"
    function = template["Resources"]["ProcessPaymentLambdaFunction"]["Properties"]
    assert function["Environment"]["Variables"]["PAYMENTS_SECRET_ID"] == "bazaar-dev-payments"


# -- payments: refunds (issue 9) -------------------------------------------------------------


def test_the_refunds_queue_takes_cancellations_and_new_refunds_for_settle_refunds(
    template: dict[str, Any],
) -> None:
    subscription = template["Resources"]["RefundsSubscription"]["Properties"]
    assert subscription["FilterPolicy"] == {"eventType": ["order.cancelled", "refund.requested"]}
    assert subscription["RawMessageDelivery"] is True
    assert subscription["Endpoint"] == {"Fn::GetAtt": ["RefundsQueue", "Arn"]}
    mappings = [
        m["Properties"]
        for m in resources_of(template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["RefundsQueue", "Arn"]}
    ]
    (mapping,) = mappings
    assert mapping["FunctionName"] == {"Fn::GetAtt": ["SettleRefundsLambdaFunction", "Arn"]}
    queue = template["Resources"]["RefundsQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["RefundsDeadLetters", "Arn"]
    }


# -- payments that finish later (issue 9, B) --------------------------------------------------


def test_the_payment_callback_functions_complete_tasks_and_read_the_payments_secret(
    template: dict[str, Any],
) -> None:
    for name in ("ProcessPayment", "PaymentsWebhook"):
        function = template["Resources"][f"{name}LambdaFunction"]["Properties"]
        assert function["Role"] == {"Fn::GetAtt": ["PaymentCallbackRole", "Arn"]}, name
    statements = pk.statements(template["Resources"]["PaymentCallbackRole"])
    actions = pk.all_actions(statements)
    assert {"states:SendTaskSuccess", "states:SendTaskFailure"} <= actions
    assert "states:StartExecution" not in actions
    (secret,) = [s for s in statements if s["Action"] == "secretsmanager:GetSecretValue"]
    assert secret["Resource"] == {"Ref": "PaymentsSecret"}
    (tasks,) = [s for s in statements if "states:SendTaskSuccess" in s["Action"]]
    assert tasks["Resource"].endswith(":stateMachine:bazaar-dev-checkout")


def test_the_payment_retry_may_start_the_machine_and_nothing_of_the_provider(
    template: dict[str, Any],
) -> None:
    function = template["Resources"]["RetryOrderPaymentLambdaFunction"]["Properties"]
    assert function["Role"] == {"Fn::GetAtt": ["PaymentRetryRole", "Arn"]}
    actions = pk.all_actions(pk.statements(template["Resources"]["PaymentRetryRole"]))
    assert "states:StartExecution" in actions
    assert not any(a.startswith(("secretsmanager:", "states:SendTask", "sns:")) for a in actions)


# -- Search (issue 11) -------------------------------------------------------------------------

SEARCH_TEMPLATE = EDGE_DIR / "search-opensearch-template.json"


def test_the_search_domain_is_declared_for_opensearch_stages_only(
    template: dict[str, Any],
) -> None:
    assert template["Parameters"]["SearchEngine"]["Default"] == "embedded"
    assert template["Conditions"]["SearchOnOpenSearch"] == {
        "Fn::Equals": [{"Ref": "SearchEngine"}, "opensearch"]
    }
    for name in ("SearchDomain", "SearchDomainAccess"):
        assert template["Resources"][name]["Condition"] == "SearchOnOpenSearch"
    domain = template["Resources"]["SearchDomain"]["Properties"]
    assert domain["DomainEndpointOptions"]["EnforceHTTPS"] is True
    assert domain["EncryptionAtRestOptions"] == {"Enabled": True}
    access = template["Resources"]["SearchDomainAccess"]["Properties"]["PolicyDocument"]
    [statement] = access["Statement"]
    assert sorted(statement["Action"]) == [
        "es:ESHttpDelete",
        "es:ESHttpGet",
        "es:ESHttpHead",
        "es:ESHttpPost",
        "es:ESHttpPut",
    ]
    variables = template["Resources"]["LoginLambdaFunction"]["Properties"]["Environment"][
        "Variables"
    ]
    assert variables["SEARCH_ENGINE"] == "embedded"
    # a plain "" outside the search functions: `make invoke` (serverless invoke local)
    # resolves no Fn::If
    assert variables["OPENSEARCH_ENDPOINT"] == ""
    for function in ("SearchProducts", "SuggestSearch", "SearchOrders", "IndexProducts"):
        search = template["Resources"][f"{function}LambdaFunction"]["Properties"]
        endpoint = search["Environment"]["Variables"]["OPENSEARCH_ENDPOINT"]
        assert endpoint["Fn::If"][0] == "SearchOnOpenSearch", function


def test_an_opensearch_stage_is_cfn_lint_clean(template: dict[str, Any]) -> None:
    """What ``--param searchEngine=opensearch`` makes: the parameter's default, and the
    functions' SEARCH_ENGINE."""
    on = json.loads(json.dumps(template))
    on["Parameters"]["SearchEngine"]["Default"] = "opensearch"
    for resource in on["Resources"].values():
        variables = resource.get("Properties", {}).get("Environment", {}).get("Variables", {})
        if "SEARCH_ENGINE" in variables:
            variables["SEARCH_ENGINE"] = "opensearch"
    EDGE_DIR.mkdir(exist_ok=True)
    SEARCH_TEMPLATE.write_text(json.dumps(on))
    _cfn_lint(SEARCH_TEMPLATE)


def test_the_artifact_holds_both_engines_and_the_mapping(template: dict[str, Any]) -> None:
    names = zipfile.ZipFile(ARTIFACT).namelist()
    assert any(n.startswith("tantivy/") and n.endswith(".so") for n in names)  # Linux x86_64
    assert any(n.startswith("opensearchpy/") for n in names)
    assert "adapters/search_mapping.json" in names
    # opensearch-py 2.4.2 needs no `Events` (whose module, events, our events/ would shadow)
    assert not any(n.startswith("Events-") for n in names)


# -- reality: 3D and AR (issue 14) ---------------------------------------------------------

REALITY_ROLES = {
    "RealityRole": {"processModels"},
    "RealitySendRole": {"finishModelUpload", "generateModel"},
}


def test_the_reality_functions_and_only_they_run_as_the_reality_roles(
    template: dict[str, Any],
) -> None:
    functions = resources_of(template, "AWS::Lambda::Function")
    for role, names in REALITY_ROLES.items():
        with_role = {
            logical_id.removesuffix("LambdaFunction")
            for logical_id, function in functions.items()
            if function["Properties"].get("Role") == {"Fn::GetAtt": [role, "Arn"]}
        }
        assert with_role == {f"{n[:1].upper()}{n[1:]}" for n in names}, role


def test_the_reality_worker_may_touch_models_and_read_photos_only(
    template: dict[str, Any],
) -> None:
    granted = pk.by_action(template["Resources"]["RealityRole"])
    table = {"Fn::GetAtt": ["Table", "Arn"]}
    queue = {"Fn::GetAtt": ["RealityQueue", "Arn"]}
    bucket = {"Fn::GetAtt": ["ImagesBucket", "Arn"]}
    assert granted == {
        "dynamodb:GetItem": [table],
        "dynamodb:PutItem": [table],
        "dynamodb:DeleteItem": [table],
        "dynamodb:Query": [table],
        "s3:GetObject": [{"Fn::Join": ["", [bucket, "/products/*"]]}],
        "s3:PutObject": [{"Fn::Join": ["", [bucket, "/products/*/models/*"]]}],
        "s3:DeleteObject": [{"Fn::Join": ["", [bucket, "/products/*/models/*"]]}],
        "sqs:ReceiveMessage": [queue],
        "sqs:DeleteMessage": [queue],
        "sqs:GetQueueAttributes": [queue],
        "logs:CreateLogStream": [SHARED_LOGS],
        "logs:PutLogEvents": [SHARED_LOGS],
    }


def test_the_done_and_generate_routes_may_send_to_the_reality_queue_and_no_more(
    template: dict[str, Any],
) -> None:
    granted = pk.by_action(template["Resources"]["RealitySendRole"])
    table = {"Fn::GetAtt": ["Table", "Arn"]}
    assert {k: sorted(v, key=str) for k, v in granted.items()} == {
        "dynamodb:GetItem": [table],
        "dynamodb:UpdateItem": [table],
        "sqs:SendMessage": [{"Fn::GetAtt": ["RealityQueue", "Arn"]}],
        "logs:CreateLogStream": [SHARED_LOGS],
        "logs:PutLogEvents": [SHARED_LOGS],
    }
    senders = {
        role_id
        for role_id, role in resources_of(template, "AWS::IAM::Role").items()
        for statement in pk.statements(role)
        if "sqs:SendMessage" in pk.actions(statement)
        if {"Fn::GetAtt": ["RealityQueue", "Arn"]} in pk.resources(statement)
    }
    assert senders == {"RealitySendRole"}


def test_the_reality_queue_feeds_the_worker_and_keeps_what_fails(
    template: dict[str, Any],
) -> None:
    mappings = [
        m["Properties"]
        for m in resources_of(template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["RealityQueue", "Arn"]}
    ]
    (mapping,) = mappings
    assert mapping["FunctionName"] == {"Fn::GetAtt": ["ProcessModelsLambdaFunction", "Arn"]}
    queue = template["Resources"]["RealityQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["RealityDeadLetters", "Arn"]
    }
    worker = template["Resources"]["ProcessModelsLambdaFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * worker["Timeout"]


def test_product_events_reach_the_reality_queue_through_sns(template: dict[str, Any]) -> None:
    """A product made active or edited (its main photo may have changed) re-checks the model
    made from its photo; only SNS may send to the queue that way."""
    subscription = template["Resources"]["RealitySubscription"]["Properties"]
    assert subscription["Endpoint"] == {"Fn::GetAtt": ["RealityQueue", "Arn"]}
    assert subscription["RawMessageDelivery"] is True
    assert subscription["FilterPolicy"] == {"eventType": ["product.activated", "product.edited"]}
    policy = template["Resources"]["RealityQueuePolicy"]["Properties"]["PolicyDocument"]
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": "DomainEventsTopic"}}}


# -- search, the flow half (issue 11) ---------------------------------------------------------

SEARCH_FUNCTIONS = (
    "searchProducts",
    "suggestSearch",
    "searchOrders",
    "indexProducts",
    "reindexSearch",
)
PRODUCT_EVENTS = [
    "product.activated",
    "product.edited",
    "product.price_changed",
    "product.archived",
    "product.rejected",
    "product.rating_changed",
    "product.stock_status_changed",
]


def test_the_search_queue_takes_product_and_order_events_and_feeds_the_indexer(
    template: dict[str, Any],
) -> None:
    from events.contracts import ORDER_PLACED, ORDER_STATUS_EVENTS
    from events.contracts import PRODUCT_EVENTS as DECLARED

    subscription = template["Resources"]["SearchSubscription"]["Properties"]
    wanted = [*DECLARED, ORDER_PLACED, *ORDER_STATUS_EVENTS.values()]
    assert sorted(subscription["FilterPolicy"]["eventType"]) == sorted(wanted)
    assert list(DECLARED) == PRODUCT_EVENTS
    assert subscription["RawMessageDelivery"] is True
    (mapping,) = [
        m["Properties"]
        for m in resources_of(template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["SearchQueue", "Arn"]}
    ]
    assert mapping["FunctionName"] == {"Fn::GetAtt": ["IndexProductsLambdaFunction", "Arn"]}
    queue = template["Resources"]["SearchQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["SearchDeadLetters", "Arn"]
    }
    indexer = template["Resources"]["IndexProductsLambdaFunction"]["Properties"]
    assert indexer["ReservedConcurrentExecutions"] == 1  # one writer of the embedded index


# Each search function's role (resources/search_queue.yml): none writes the table, only the
# indexer takes the queue, only the indexer and the rebuild write the index's snapshots.
SEARCH_ROLES = {
    "searchProducts": "SearchRole",
    "suggestSearch": "SearchIndexReaderRole",
    "searchOrders": "SearchIndexReaderRole",
    "indexProducts": "SearchIndexerRole",
    "reindexSearch": "SearchRebuildRole",
}


def test_the_search_functions_never_write_the_table_and_may_use_the_domain(
    template: dict[str, Any],
) -> None:
    snapshots = {"Fn::Join": ["", [{"Fn::GetAtt": ["ImagesBucket", "Arn"]}, "/search-index/*"]]}
    for name in SEARCH_FUNCTIONS:
        role_id = SEARCH_ROLES[name]
        function = template["Resources"][pk.logical_id(name)]
        assert function["Properties"]["Role"] == {"Fn::GetAtt": [role_id, "Arn"]}, name
        role = template["Resources"][role_id]["Properties"]
        granted = pk.by_action(template["Resources"][role_id])
        assert {a for a in granted if a.startswith("dynamodb:")} <= {
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:BatchGetItem",
        }
        writes = {"s3:PutObject", "s3:DeleteObject"} & set(granted)
        assert bool(writes) == (name in ("indexProducts", "reindexSearch")), name
        assert ("sqs:ReceiveMessage" in granted) == (name == "indexProducts"), name
        for action in ("s3:GetObject", *writes):
            assert granted[action] == [snapshots], (name, action)
        assert role["ManagedPolicyArns"] == {
            "Fn::If": [
                "SearchOnOpenSearch",
                [{"Ref": "SearchDomainAccess"}],
                {"Ref": "AWS::NoValue"},
            ]
        }


# -- invoices (issue 10) -----------------------------------------------------------------------


def test_the_invoices_queue_takes_confirmed_orders_and_succeeded_refunds_for_the_worker(
    template: dict[str, Any],
) -> None:
    subscription = template["Resources"]["InvoicesSubscription"]["Properties"]
    assert subscription["FilterPolicy"] == {"eventType": ["order.confirmed", "refund.succeeded"]}
    assert subscription["RawMessageDelivery"] is True
    assert subscription["Endpoint"] == {"Fn::GetAtt": ["InvoicesQueue", "Arn"]}
    (mapping,) = [
        m["Properties"]
        for m in resources_of(template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["InvoicesQueue", "Arn"]}
    ]
    assert mapping["FunctionName"] == {"Fn::GetAtt": ["RenderInvoicesLambdaFunction", "Arn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = template["Resources"]["InvoicesQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["InvoicesDeadLetters", "Arn"]
    }
    worker = template["Resources"]["RenderInvoicesLambdaFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * worker["Timeout"]
    policy = template["Resources"]["InvoicesQueuePolicy"]["Properties"]["PolicyDocument"]
    (statement,) = policy["Statement"]
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": "DomainEventsTopic"}}}


INVOICE_ROLES = {"InvoicesRole": "renderInvoices", "InvoiceReadRole": "getOrderInvoice"}


def test_each_invoice_function_and_only_it_runs_as_its_role(template: dict[str, Any]) -> None:
    functions = resources_of(template, "AWS::Lambda::Function")
    for role, name in INVOICE_ROLES.items():
        with_role = {
            logical_id
            for logical_id, function in functions.items()
            if function["Properties"].get("Role") == {"Fn::GetAtt": [role, "Arn"]}
        }
        assert with_role == {pk.logical_id(name)}, role


def test_the_invoice_worker_may_write_invoices_and_the_table_only(
    template: dict[str, Any],
) -> None:
    granted = pk.by_action(template["Resources"]["InvoicesRole"])
    table = {"Fn::GetAtt": ["Table", "Arn"]}
    queue = {"Fn::GetAtt": ["InvoicesQueue", "Arn"]}
    invoices = {"Fn::Join": ["", [{"Fn::GetAtt": ["ImagesBucket", "Arn"]}, "/invoices/*"]]}
    assert granted == {
        "dynamodb:GetItem": [table],
        "dynamodb:BatchGetItem": [table],
        "dynamodb:Query": [table],
        "dynamodb:PutItem": [table],
        "dynamodb:UpdateItem": [table],
        "s3:PutObject": [invoices],
        "sqs:ReceiveMessage": [queue],
        "sqs:DeleteMessage": [queue],
        "sqs:GetQueueAttributes": [queue],
        "logs:CreateLogStream": [pk.SHARED_LOGS],
        "logs:PutLogEvents": [pk.SHARED_LOGS],
    }


def test_the_download_route_may_read_a_record_and_sign_a_get_of_invoices_only(
    template: dict[str, Any],
) -> None:
    granted = pk.by_action(template["Resources"]["InvoiceReadRole"])
    invoices = {"Fn::Join": ["", [{"Fn::GetAtt": ["ImagesBucket", "Arn"]}, "/invoices/*"]]}
    assert granted == {
        "dynamodb:GetItem": [{"Fn::GetAtt": ["Table", "Arn"]}],
        "s3:GetObject": [invoices],
        "logs:CreateLogStream": [pk.SHARED_LOGS],
        "logs:PutLogEvents": [pk.SHARED_LOGS],
    }
    # nobody else may read invoices: the bucket policy's public read is products/* only
    readers = {
        role_id
        for role_id, role in resources_of(template, "AWS::IAM::Role").items()
        for statement in pk.statements(role)
        if "s3:GetObject" in pk.actions(statement) and invoices in pk.resources(statement)
    }
    assert readers == {"InvoiceReadRole"}
    bucket_policy = template["Resources"]["ImagesBucketPolicy"]["Properties"]["PolicyDocument"]
    public = [st["Resource"] for st in bucket_policy["Statement"] if st.get("Principal") == "*"]
    assert public == [{"Fn::Join": ["", [{"Fn::GetAtt": ["ImagesBucket", "Arn"]}, "/products/*"]]}]
