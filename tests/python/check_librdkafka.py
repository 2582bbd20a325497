"""Loads rendered cdx config files into real confluent-kafka clients, for the cdx config tests.

Usage: python check_librdkafka.py < jobs
Each input line is "<kind>\t<path>", kind being "librdkafka" or "python". Each output line is
one JSON object, in input order. Strings read from the files are written as the hex of their
UTF-8 bytes, so the caller compares byte for byte.

librdkafka: the file is read the way Confluent's own examples read it (strip each line, skip
blank and '#' lines, split at the first '='), and also by a reader that trims nothing (as the C
and C# examples do); both must agree. The settings then go to a confluent-kafka Consumer with
librdkafka's in-process mock cluster (test.mock.num.brokers=1, which also replaces the
bootstrap servers and the security protocol, since the mock has no SASL), so librdkafka
validates every key, and the Consumer must fetch metadata.
    {"ok": true, "kafka": {hex: hex}, "schema_registry": null, "sr_urls": null,
     "sr_auth": null, "brokers": n}

python: the Python code shown in the file's comments (the comment lines indented by four
spaces) is run as it is, in the file's directory, with confluent_kafka.Consumer and
confluent_kafka.schema_registry.SchemaRegistryClient wrapped so that the configurations handed
to them are recorded. The code must open exactly the file being checked (whatever its name),
so the example in the comments is proven to load the very file it is written in. The Consumer
gets the mock cluster as above; the SchemaRegistryClient is the real one (it rejects unknown
keys; no request is sent).
    {"ok": true, "kafka": {hex: hex}, "schema_registry": {hex: hex} | null,
     "sr_urls": [hex] | null, "sr_auth": [hex, hex] | null, "brokers": n}

Failures: {"ok": false, "error": hex}
"""

import json
import os
import sys
import textwrap
import traceback

import confluent_kafka

try:
    import confluent_kafka.schema_registry
except ImportError as e:
    sys.exit(
        f"confluent_kafka.schema_registry cannot be imported ({e}): the test virtualenv needs "
        "confluent-kafka's Schema Registry dependencies (authlib, httpx2, cachetools) from "
        "tests/requirements.txt; run `cargo xtask setup`"
    )

REAL_CONSUMER = confluent_kafka.Consumer
REAL_SCHEMA_REGISTRY_CLIENT = confluent_kafka.schema_registry.SchemaRegistryClient
MOCK = {"test.mock.num.brokers": "1"}


def hexs(text):
    return text.encode("utf-8").hex()


def hex_map(conf):
    return {hexs(str(k)): hexs(str(v)) for k, v in conf.items()}


def brokers_seen(conf):
    """Creates a real Consumer with the mock cluster and fetches metadata."""
    full = dict(conf)
    full.setdefault("group.id", "cdx-config-check")
    full.update(MOCK)
    consumer = REAL_CONSUMER(full)
    try:
        return len(consumer.list_topics(timeout=10).brokers)
    finally:
        consumer.close()


def read_conf(path, trim):
    """key=value lines, skipping blanks and comments: with `trim`, as the files' examples read
    them (universal newlines, each line stripped); without, split on "\n" alone, untouched."""
    with open(path, encoding="utf-8", newline=None if trim else "") as f:
        lines = [line.strip() for line in f] if trim else f.read().split("\n")
    conf = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        key, value = line.split("=", 1)
        conf[key] = value
    return conf


def check_librdkafka(path):
    conf = read_conf(path, trim=True)
    untrimmed = read_conf(path, trim=False)
    if conf != untrimmed:
        raise AssertionError("a trimming and a non-trimming reader disagree")
    return {
        "ok": True,
        "kafka": hex_map(conf),
        "schema_registry": None,
        "sr_urls": None,
        "sr_auth": None,
        "brokers": brokers_seen(conf),
    }


def snippet(text):
    """The Python code in the file's comments: comment lines indented by four spaces."""
    return "\n".join(line[2:] for line in text.splitlines() if line.startswith("#     "))


def check_python(path):
    with open(path, encoding="utf-8") as f:
        code = textwrap.dedent(snippet(f.read()))
    record = {"kafka": None, "schema_registry": None, "brokers": None, "client": None}
    opened = []

    def recording_open(file, *args, **kwargs):
        opened.append(os.path.realpath(file))
        return open(file, *args, **kwargs)

    def consumer(conf):
        record["kafka"] = dict(conf)
        record["brokers"] = brokers_seen(conf)
        return None

    def schema_registry_client(conf):
        record["schema_registry"] = dict(conf)
        client = REAL_SCHEMA_REGISTRY_CLIENT(conf)
        record["client"] = client
        return client

    cwd = os.getcwd()
    confluent_kafka.Consumer = consumer
    confluent_kafka.schema_registry.SchemaRegistryClient = schema_registry_client
    try:
        os.chdir(os.path.dirname(os.path.abspath(path)))
        # The code's global `open` is the recording one (globals come before builtins).
        scope = {"__name__": "__cdx_check__", "open": recording_open}
        exec(compile(code, path + " (comments)", "exec"), scope)
    finally:
        os.chdir(cwd)
        confluent_kafka.Consumer = REAL_CONSUMER
        confluent_kafka.schema_registry.SchemaRegistryClient = REAL_SCHEMA_REGISTRY_CLIENT
    if opened != [os.path.realpath(path)]:
        raise AssertionError(f"the comments' code opens {opened}, not the file itself")
    if record["kafka"] is None:
        raise AssertionError("the comments' code made no Consumer")
    out = {
        "ok": True,
        "kafka": hex_map(record["kafka"]),
        "schema_registry": None,
        "sr_urls": None,
        "sr_auth": None,
        "brokers": record["brokers"],
    }
    client = record["client"]
    if client is not None:
        rest = client._rest_client
        out["schema_registry"] = hex_map(record["schema_registry"])
        out["sr_urls"] = [hexs(u) for u in rest.base_urls]
        out["sr_auth"] = None if rest.auth is None else [hexs(a) for a in rest.auth]
    return out


def main():
    for job in sys.stdin.read().splitlines():
        if not job:
            continue
        kind, path = job.split("\t", 1)
        try:
            if kind == "librdkafka":
                result = check_librdkafka(path)
            elif kind == "python":
                result = check_python(path)
            else:
                raise ValueError("unknown kind " + repr(kind))
        except Exception:  # noqa: BLE001 - reported to the caller, per file
            result = {"ok": False, "error": hexs(traceback.format_exc())}
        sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
