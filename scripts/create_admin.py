"""Create the first admin (or promote an existing account) on a stage.

    make admin EMAIL=ops@shop.example PASSWORD='a long passphrase'            # local (make dev)
    make admin EMAIL=ops@shop.example PASSWORD='…' STAGE=prod                 # deployed stage

Locally it talks to the embedded AWS of a running ``make dev``; for a deployed stage it uses
your AWS credentials and the stage's table, exactly as the functions do. An existing
account keeps its password and is promoted.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create or promote a Bazaar admin.")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--first-name", default="Shop")
    parser.add_argument("--last-name", default="Admin")
    parser.add_argument("--stage", default="dev")
    args = parser.parse_args(argv)
    if not args.email or not args.password:
        parser.error("EMAIL and PASSWORD are required")

    from scripts.stack import LOCAL_ENV, function_environment, resolved_config

    if args.stage == "dev" and "AWS_ENDPOINT_URL" not in os.environ:
        os.environ.update(LOCAL_ENV)
        os.environ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:" + os.environ.get(
            "LOCAL_AWS_PORT", "4566"
        )
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.update(function_environment(resolved_config(args.stage)))

    from domain.accounts.model import Role
    from domain.errors import DomainError
    from scripts.seed import DemoUser, ensure_user

    try:
        user_id = ensure_user(
            DemoUser(args.email, args.password, args.first_name, args.last_name, Role.ADMIN)
        )
    except DomainError as exc:
        print(f"✗ {exc.detail} ({exc.code})", file=sys.stderr)
        return 1
    print(f"✓ {args.email} is an admin on stage {args.stage} (user {user_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
