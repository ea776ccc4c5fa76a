"""Powertools' API Gateway resolver, without the rest of its packages.

``aws_lambda_powertools.event_handler/__init__`` imports every resolver Powertools has
(AppSync, Bedrock, VPC Lattice …), and AppSync pulls in ``asyncio``; likewise
``utilities.data_classes/__init__`` imports some thirty event classes (Kafka, Kinesis,
CodePipeline …). Together about 30 ms of every cold start, for code no HTTP function
runs. Both packages are therefore registered without running their ``__init__``, and
given the few names their own modules import from them. A package imported whole already
(tests, tools) is used as it is.
"""

from __future__ import annotations

import importlib.util
import sys

_PACKAGE = "aws_lambda_powertools.event_handler"
_EVENTS = "aws_lambda_powertools.utilities.data_classes"


def _without_init(name: str) -> bool:
    """Register package ``name`` without running its ``__init__``; False if loaded."""
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None:  # pragma: no cover - a dependency in requirements.txt
        raise ModuleNotFoundError(name)
    sys.modules[name] = importlib.util.module_from_spec(spec)
    return True


if _without_init(_EVENTS):
    # The event classes the API Gateway resolver imports from the package, and only them.
    from aws_lambda_powertools.utilities.data_classes import (
        alb_event,
        api_gateway_proxy_event,
        bedrock_agent_event,
        lambda_function_url_event,
        vpc_lattice,
    )

    for _module, _name in (
        (alb_event, "ALBEvent"),
        (api_gateway_proxy_event, "APIGatewayProxyEvent"),
        (api_gateway_proxy_event, "APIGatewayProxyEventV2"),
        (bedrock_agent_event, "BedrockAgentEvent"),
        (lambda_function_url_event, "LambdaFunctionUrlEvent"),
        (vpc_lattice, "VPCLatticeEvent"),
        (vpc_lattice, "VPCLatticeEventV2"),
    ):
        setattr(sys.modules[_EVENTS], _name, getattr(_module, _name))

_without_init(_PACKAGE)

from aws_lambda_powertools.event_handler import api_gateway  # noqa: E402

for _name in ("Response", "APIGatewayHttpResolver", "ApiGatewayResolver", "APIGatewayRestResolver"):
    if not hasattr(sys.modules[_PACKAGE], _name):
        setattr(sys.modules[_PACKAGE], _name, getattr(api_gateway, _name))

from aws_lambda_powertools.event_handler.exceptions import NotFoundError  # noqa: E402
from aws_lambda_powertools.event_handler.openapi.exceptions import (  # noqa: E402
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query  # noqa: E402

APIGatewayHttpResolver = api_gateway.APIGatewayHttpResolver
Response = api_gateway.Response

__all__ = [
    "APIGatewayHttpResolver",
    "Header",
    "NotFoundError",
    "Path",
    "Query",
    "RequestUnsupportedContentType",
    "RequestValidationError",
    "Response",
]
