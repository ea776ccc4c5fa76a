"""The local stack's single source of truth: serverless.yml, resolved by the framework.

``resolved_config()`` asks the Serverless CLI (``serverless print``) for the fully
resolved configuration, cached under .serverless/ until a YAML file changes.
``create_resources()`` creates what the template's Resources declare (table, queues,
topics, subscriptions, buckets, secrets) in the embedded AWS, so nothing is described
twice. moto's own CloudFormation cannot take the framework's template, hence this.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT_ID = "123456789012"
LOCAL_ENV = {
    "SLS_TELEMETRY_DISABLED": "1",
    "SLS_NOTIFICATIONS_MODE": "off",
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_ACCOUNT_ID": ACCOUNT_ID,
}


def _sources_digest(stage: str) -> str:
    digest = hashlib.sha256(stage.encode())
    files = [ROOT / "serverless.yml", *sorted((ROOT / "functions").glob("*.yml"))]
    files += sorted((ROOT / "resources").glob("*.yml"))
    files += sorted((ROOT / "statemachines").glob("*.json"))  # read by ${file(...)}
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def resolved_config(stage: str = "dev") -> dict[str, Any]:
    """serverless.yml with every variable resolved (cached by the digest of the files it
    is made of: the YAML files and the state machine definitions)."""
    cache = ROOT / ".local" / f"resolved-{stage}-{_sources_digest(stage)}.json"
    if cache.exists():
        return json.loads(cache.read_text())  # type: ignore[no-any-return]
    cli = ROOT / "node_modules" / ".bin" / "serverless"
    if not cli.exists():
        sys.exit("node_modules is missing: run `npm ci` (make does it for you)")
    env = {**os.environ, **LOCAL_ENV, "AWS_DEFAULT_REGION": "us-east-1"}
    # Resolve the deployable defaults, not whatever this shell happens to export.
    for name in ("BCRYPT_ROUNDS", "AWS_ENDPOINT_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [str(cli), "print", "--format", "json", "--stage", stage],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"serverless print failed:\n{done.stdout}\n{done.stderr}")
    config = json.loads(done.stdout)
    cache.parent.mkdir(exist_ok=True)
    for old in cache.parent.glob(f"resolved-{stage}-*.json"):
        if old != cache:
            old.unlink(missing_ok=True)
    # Written whole, then renamed: parallel test workers may resolve at the same moment.
    partial = cache.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(config, indent=1))
    partial.replace(cache)
    return config  # type: ignore[no-any-return]


def function_environment(config: dict[str, Any]) -> dict[str, str]:
    """The environment every function gets (provider.environment), as strings."""
    return {k: str(v) for k, v in config["provider"]["environment"].items()}


def template_resources(config: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in (
        config.get("resources", [])
        if isinstance(config.get("resources"), list)
        else [config.get("resources", {})]
    ):
        merged.update(part.get("Resources", {}))
    return merged


class _Resolver:
    """Just enough of CloudFormation's intrinsics for local resource creation."""

    def __init__(
        self, resources: dict[str, Any], region: str, functions: dict[str, str] | None = None
    ) -> None:
        self.resources = resources
        self.region = region
        # The framework's logical ids of the functions (``<Fn>LambdaFunction``) -> names
        self.functions = functions or {}

    def name_of(self, logical_id: str) -> str:
        props = self.resources[logical_id].get("Properties", {})
        kind = self.resources[logical_id]["Type"]
        key = {
            "AWS::DynamoDB::Table": "TableName",
            "AWS::SQS::Queue": "QueueName",
            "AWS::SNS::Topic": "TopicName",
            "AWS::S3::Bucket": "BucketName",
            "AWS::SecretsManager::Secret": "Name",
            "AWS::StepFunctions::StateMachine": "StateMachineName",
        }[kind]
        return str(self.value(props[key]))

    def arn_of(self, logical_id: str) -> str:
        if logical_id in self.functions:
            return (
                f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{self.functions[logical_id]}"
            )
        kind = self.resources[logical_id]["Type"]
        if kind == "AWS::IAM::Role":  # the embedded AWS checks no role: any ARN will do
            return f"arn:aws:iam::{ACCOUNT_ID}:role/{logical_id}"
        name = self.name_of(logical_id)
        return {
            "AWS::SQS::Queue": f"arn:aws:sqs:{self.region}:{ACCOUNT_ID}:{name}",
            "AWS::SNS::Topic": f"arn:aws:sns:{self.region}:{ACCOUNT_ID}:{name}",
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{self.region}:{ACCOUNT_ID}:table/{name}",
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
            "AWS::SecretsManager::Secret": name,
            "AWS::StepFunctions::StateMachine": (
                f"arn:aws:states:{self.region}:{ACCOUNT_ID}:stateMachine:{name}"
            ),
        }[kind]

    def value(self, node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            ((fn, arg),) = node.items()
            if fn == "Ref":
                kind = self.resources[arg]["Type"]
                if kind in ("AWS::SNS::Topic", "AWS::SecretsManager::Secret"):
                    return self.arn_of(arg)
                if kind == "AWS::SQS::Queue":
                    return f"http://local/{ACCOUNT_ID}/{self.name_of(arg)}"
                return self.name_of(arg)
            if fn == "Fn::GetAtt":
                logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                if attribute == "Arn":
                    return self.arn_of(logical_id)
                if attribute == "QueueName":
                    return self.name_of(logical_id)
                raise ValueError(f"unsupported GetAtt {logical_id}.{attribute}")
            if fn == "Fn::Join":
                sep, parts = arg
                return sep.join(str(self.value(p)) for p in parts)
            if fn == "Fn::Sub" and isinstance(arg, str):
                return arg.replace("${AWS::Region}", self.region).replace(
                    "${AWS::AccountId}", ACCOUNT_ID
                )
        if isinstance(node, dict):
            return {k: self.value(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.value(v) for v in node]
        return node


_ORDER = [
    "AWS::DynamoDB::Table",
    "AWS::SecretsManager::Secret",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
]


def _creation_order(entry: tuple[str, Any]) -> tuple[int, int]:
    """By kind; dead-letter queues before the queues whose redrive policy names them."""
    kind, props = entry[1]["Type"], entry[1].get("Properties", {})
    rank = _ORDER.index(kind) if kind in _ORDER else len(_ORDER)
    return rank, 1 if "RedrivePolicy" in props else 0


# What the embedded AWS is given; anything else in the template exists on AWS only.
LOCAL_KINDS = frozenset(
    {
        "AWS::DynamoDB::Table",
        "AWS::SecretsManager::Secret",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::SQS::Queue",
        "AWS::SNS::Topic",
        "AWS::SNS::Subscription",
        "AWS::StepFunctions::StateMachine",
    }
)


def function_logical_ids(config: dict[str, Any]) -> dict[str, str]:
    """The framework's logical id of each function (``createCategory`` ->
    ``CreateCategoryLambdaFunction``) -> its deployed name."""
    ids = {}
    for key, fn in config["functions"].items():
        normal = key[:1].upper() + key[1:].replace("-", "Dash").replace("_", "Underscore")
        ids[f"{normal}LambdaFunction"] = str(
            fn.get("name") or f"{config['service']}-{config['provider']['stage']}-{key}"
        )
    return ids


def state_machine_definition(resource: dict[str, Any], resolve: Any) -> str:
    """The ASL text a state machine resource deploys: its ``Definition`` with the
    ``DefinitionSubstitutions`` applied, as CloudFormation applies them."""
    props = resource["Properties"]
    text = json.dumps(props["Definition"], indent=2)
    for name, value in props.get("DefinitionSubstitutions", {}).items():
        text = text.replace("${" + name + "}", str(resolve.value(value)))
    return text


def create_resources(config: dict[str, Any], client: Any) -> dict[str, str]:
    """Create the template's resources through ``client(service)``; returns names by id.

    Idempotent: what already exists is left alone, so a second ``make dev`` works.
    """
    region = config["provider"]["region"]
    resources = template_resources(config)
    resolve = _Resolver(resources, region, function_logical_ids(config))
    created: dict[str, str] = {}
    order = [
        "AWS::DynamoDB::Table",
        "AWS::SecretsManager::Secret",
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::SNS::Topic",
        "AWS::SNS::Subscription",
        "AWS::SQS::QueuePolicy",
        "AWS::StepFunctions::StateMachine",
    ]
    ranked = sorted(
        resources.items(),
        key=lambda kv: order.index(kv[1]["Type"]) if kv[1]["Type"] in order else 99,
    )
    # Dead-letter queues first, so a redrive policy can name them.
    ranked.sort(
        key=lambda kv: (
            0
            if kv[1]["Type"] == "AWS::SQS::Queue"
            and "RedrivePolicy" not in kv[1].get("Properties", {})
            else 1
        )
    )
    ranked.sort(key=lambda kv: order.index(kv[1]["Type"]) if kv[1]["Type"] in order else 99)
    for logical_id, resource in ranked:
        kind = resource["Type"]
        if kind not in LOCAL_KINDS:
            continue  # no local counterpart (the edge's CloudFront and WAF, resources/edge.yml)
        if "Condition" in resource:
            continue  # for stages that ask for it (the alarm email, OpenSearch, the edge)
        props = resolve.value(resource.get("Properties", {}))
        if kind == "AWS::DynamoDB::Table":
            created[logical_id] = _table(client("dynamodb"), props)
        elif kind == "AWS::SecretsManager::Secret":
            created[logical_id] = _secret(client("secretsmanager"), props)
        elif kind == "AWS::S3::Bucket":
            created[logical_id] = _bucket(client("s3"), props)
        elif kind == "AWS::S3::BucketPolicy":
            # moto enforces bucket policies for anonymous reads: product images need it
            client("s3").put_bucket_policy(
                Bucket=props["Bucket"], Policy=json.dumps(props["PolicyDocument"])
            )
        elif kind == "AWS::SQS::Queue":
            created[logical_id] = _queue(client("sqs"), props)
        elif kind == "AWS::SNS::Topic":
            created[logical_id] = client("sns").create_topic(Name=props["TopicName"])["TopicArn"]
        elif kind == "AWS::SNS::Subscription":
            _subscription(client("sns"), props)
        elif kind == "AWS::StepFunctions::StateMachine":
            created[logical_id] = _state_machine(
                client("stepfunctions"), props, state_machine_definition(resource, resolve)
            )
    return created


def _state_machine(sfn: Any, props: dict[str, Any], definition: str) -> str:
    """Create the machine, or give an existing one the current definition."""
    name = props["StateMachineName"]
    arn = f"arn:aws:states:{sfn.meta.region_name}:{ACCOUNT_ID}:stateMachine:{name}"
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"  # the embedded AWS checks no role
    try:
        sfn.describe_state_machine(stateMachineArn=arn)
    except sfn.exceptions.StateMachineDoesNotExist:
        sfn.create_state_machine(
            name=name, definition=definition, roleArn=role, type=props["StateMachineType"]
        )
    else:
        sfn.update_state_machine(stateMachineArn=arn, definition=definition)
    return arn


def _table(ddb: Any, props: dict[str, Any]) -> str:
    name = props["TableName"]
    if name in ddb.list_tables()["TableNames"]:
        return str(name)
    keep = (
        "AttributeDefinitions",
        "KeySchema",
        "GlobalSecondaryIndexes",
        "BillingMode",
        "StreamSpecification",
        "SSESpecification",
    )
    args = {k: props[k] for k in keep if k in props}
    if "SSESpecification" in args:  # CloudFormation's name differs from the API's
        args["SSESpecification"] = {"Enabled": bool(args["SSESpecification"]["SSEEnabled"])}
    if "StreamSpecification" in args:
        args["StreamSpecification"] = {"StreamEnabled": True, **args["StreamSpecification"]}
    ddb.create_table(TableName=name, **args)
    ttl = props.get("TimeToLiveSpecification")
    if ttl:
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
    return str(name)


def _secret(sm: Any, props: dict[str, Any]) -> str:
    name = props["Name"]
    generate = props.get("GenerateSecretString")
    if generate:
        value = json.loads(generate.get("SecretStringTemplate", "{}"))
        value[generate["GenerateStringKey"]] = secrets.token_urlsafe(48)
        text = json.dumps(value)
    else:
        text = props.get("SecretString", "{}")
    with contextlib.suppress(sm.exceptions.ResourceExistsException):
        sm.create_secret(Name=name, SecretString=text)
    return str(name)


def _bucket(s3: Any, props: dict[str, Any]) -> str:
    name = props["BucketName"]
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=name)
    cors = props.get("CorsConfiguration")
    if cors:
        rules = [
            {
                k: v
                for k, v in rule.items()
                if k
                in (
                    "AllowedHeaders",
                    "AllowedMethods",
                    "AllowedOrigins",
                    "ExposedHeaders",
                    "MaxAge",
                )
            }
            for rule in cors["CorsRules"]
        ]
        for rule in rules:
            if "MaxAge" in rule:
                rule["MaxAgeSeconds"] = rule.pop("MaxAge")
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
    return str(name)


def _queue(sqs: Any, props: dict[str, Any]) -> str:
    attributes = {}
    for key, value in props.items():
        if key in ("QueueName", "Tags"):
            continue
        attributes[key] = json.dumps(value) if isinstance(value, dict) else str(value)
    return str(sqs.create_queue(QueueName=props["QueueName"], Attributes=attributes)["QueueUrl"])


def _subscription(sns: Any, props: dict[str, Any]) -> None:
    attributes = {}
    if props.get("RawMessageDelivery") is not None:
        attributes["RawMessageDelivery"] = str(props["RawMessageDelivery"]).lower()
    if props.get("FilterPolicy") is not None:
        attributes["FilterPolicy"] = json.dumps(props["FilterPolicy"])
    sns.subscribe(
        TopicArn=props["TopicArn"],
        Protocol=props["Protocol"],
        Endpoint=props["Endpoint"],
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )


if __name__ == "__main__":
    print(
        json.dumps(
            function_environment(resolved_config(sys.argv[1] if len(sys.argv) > 1 else "dev")),
            indent=1,
        )
    )
