"""What pages a person, held to the packaged template (resources/alarms.yml, issue 10).

Derived from the template, not listed beside it: every dead-letter queue (a queue some
queue's RedrivePolicy targets, and the stream's on-failure queue), every worker (a function
driven by a queue, the stream or a schedule), the stream's age, the API and the checkout
machine. A new queue or worker without its alarm fails here. Every subscription of the
events topic filters on ``eventType`` by known event types only.
"""

from __future__ import annotations

from typing import Any

import pytest

from events.contracts import VERSIONS
from tests.config import packaged as pk

pytestmark = pytest.mark.template

TOPIC = [{"Ref": "AlarmTopic"}]


def _alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: resource["Properties"]
        for name, resource in pk.resources_of(template, "AWS::CloudWatch::Alarm").items()
    }


def _metrics(alarm: dict[str, Any]) -> list[dict[str, Any]]:
    """The alarm's metrics: itself, or each MetricStat of its metric math."""
    if "MetricName" in alarm:
        return [alarm]
    return [query["MetricStat"]["Metric"] for query in alarm["Metrics"] if "MetricStat" in query]


def _watching(template: dict[str, Any], metric: str, dimension: str) -> list[Any]:
    """The values of ``dimension`` of every alarm on ``metric``."""
    return [
        d["Value"]
        for alarm in _alarms(template).values()
        for m in _metrics(alarm)
        if m["MetricName"] == metric
        for d in m["Dimensions"]
        if d["Name"] == dimension
    ]


def test_every_alarm_tells_the_alarm_topic_and_an_email_only_when_a_stage_sets_one(
    template: dict[str, Any],
) -> None:
    alarms = _alarms(template)
    assert len(alarms) >= 15
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == TOPIC, name
        assert alarm["OKActions"] == TOPIC, name
        assert alarm["TreatMissingData"] == "notBreaching", name  # a quiet shop is fine
    (subscription,) = [
        s
        for s in pk.resources_of(template, "AWS::SNS::Subscription").values()
        if s["Properties"]["TopicArn"] == {"Ref": "AlarmTopic"}
    ]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }
    assert template["Parameters"]["AlarmEmail"]["Default"] == ""  # nobody, unless asked


def test_every_dead_letter_queue_and_the_streams_failures_have_an_alarm(
    template: dict[str, Any],
) -> None:
    queues = pk.resources_of(template, "AWS::SQS::Queue")
    dead_letters = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    }
    (stream,) = [
        m["Properties"]
        for m in pk.resources_of(template, "AWS::Lambda::EventSourceMapping").values()
        if "DestinationConfig" in m["Properties"]
    ]
    failures = stream["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    assert len(dead_letters) == 7
    # every queue is either consumed (and has a DLQ) or is a DLQ / the stream's failures
    assert set(queues) == dead_letters | {failures} | {
        name for name, q in queues.items() if "RedrivePolicy" in q["Properties"]
    }
    watched = _watching(template, "ApproximateNumberOfMessagesVisible", "QueueName")
    assert sorted(watched, key=str) == sorted(
        ({"Fn::GetAtt": [q, "QueueName"]} for q in dead_letters | {failures}), key=str
    )


def test_every_worker_has_an_errors_alarm(template: dict[str, Any], config: dict[str, Any]) -> None:
    workers = {
        pk.logical_id(name)
        for name, spec in config["functions"].items()
        if any({"sqs", "stream", "schedule"} & set(event) for event in spec.get("events", []))
    }
    assert {"PublishEventsLambdaFunction", "ReleaseExpiredHoldsLambdaFunction"} <= workers
    assert len(workers) == 9  # eight queue or stream consumers and the holds sweep
    watched = _watching(template, "Errors", "FunctionName")
    assert sorted(w["Ref"] for w in watched) == sorted(workers)


def test_the_stream_the_api_and_the_checkout_machine_are_watched(
    template: dict[str, Any],
) -> None:
    assert _watching(template, "IteratorAge", "FunctionName") == [
        {"Ref": "PublishEventsLambdaFunction"}
    ]
    assert {"Ref": "HttpApi"} in _watching(template, "5xx", "ApiId")
    assert _watching(template, "Latency", "ApiId") == [{"Ref": "HttpApi"}]
    machine = _watching(template, "ExecutionsFailed", "StateMachineArn")
    assert machine == [{"Ref": "CheckoutStateMachine"}]
    for metric in ("ExecutionsTimedOut", "ExecutionsAborted"):
        assert _watching(template, metric, "StateMachineArn") == machine


def test_every_subscription_of_the_events_topic_filters_on_known_event_types(
    template: dict[str, Any],
) -> None:
    subscriptions = {
        name: s["Properties"]
        for name, s in pk.resources_of(template, "AWS::SNS::Subscription").items()
        if s["Properties"]["TopicArn"] == {"Ref": "DomainEventsTopic"}
    }
    assert len(subscriptions) == 7
    for name, subscription in subscriptions.items():
        assert subscription["RawMessageDelivery"] is True, name
        types = subscription["FilterPolicy"]["eventType"]
        assert types, name
        assert set(types) <= set(VERSIONS), (name, set(types) - set(VERSIONS))
    # the event log (recordEvent) takes every type there is
    assert sorted(subscriptions["AnalyticsSubscription"]["FilterPolicy"]["eventType"]) == sorted(
        VERSIONS
    )
