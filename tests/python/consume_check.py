"""Real confluent-kafka consumers configured from cdx's files, for the cdx real-broker tests.

Usage: python consume_check.py < jobs
Each input line is one job, tab-separated:
    <format> <config file> <CA file> <topic> <records wanted> <timeout ms> [<group.id override>]
format "librdkafka": the file is read as Confluent's examples read it (strip each line, skip
blank and '#' lines, split at the first '='); format "python": the INI file is read as its own
comments say (configparser, UTF-8, interpolation=None), [kafka] goes to the Consumer and
[schema_registry], if any, to a real SchemaRegistryClient, which lists the subjects it may read
and fetches the schema of every record in the Confluent wire format.
The only setting added is test-only: the throwaway CA (ssl.ca.location); Confluent Cloud's
certificates chain to public CAs.
Each job prints one JSON line, strings as the hex of their UTF-8 bytes:
    {"ok": true, "group": hex, "first_at": epoch ms of the first record,
     "records": [{"p": 0, "o": 0, "k": hex | null, "v": hex}],
     "subjects": [hex] | null, "schemas": {"<id>": hex} | null}
    {"ok": false, "error": "GROUP_AUTHORIZATION_FAILED" | "Timeout" | exception class,
     "message": hex, "records": n}
"""

import configparser
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException
from confluent_kafka.schema_registry import SchemaRegistryClient

# The librdkafka file is read exactly as the config-file checks read it.
from check_librdkafka import read_conf


def hexs(text):
    return str(text).encode("utf-8").hex()


def read_ini(path):
    config = configparser.ConfigParser(interpolation=None)
    with open(path, encoding="utf-8") as f:
        config.read_file(f)
    registry = dict(config["schema_registry"]) if config.has_section("schema_registry") else None
    return dict(config["kafka"]), registry


def transient(err):
    """librdkafka's own informational events (a connection dropped and retried, a partition's
    end): its client goes on by itself. Authentication failures and every error the broker
    answered (e.g. GROUP_AUTHORIZATION_FAILED) end the job."""
    name = err.name()
    return name.startswith("_") and name != "_AUTHENTICATION" and not err.fatal()


def consume(conf, ca, topic, wanted, timeout_ms):
    conf = dict(conf)
    conf["ssl.ca.location"] = ca
    conf["auto.offset.reset"] = "earliest"
    deadline = time.monotonic() + timeout_ms / 1000
    records, first_at = [], None
    consumer = Consumer(conf)
    try:
        consumer.subscribe([topic])
        while len(records) < wanted:
            if time.monotonic() > deadline:
                return {"ok": False, "error": "Timeout", "message": "", "records": len(records)}
            msg = consumer.poll(0.2)
            if msg is None:
                continue
            if msg.error():
                err = msg.error()
                if transient(err):
                    continue
                return {"ok": False, "error": err.name(), "message": hexs(err.str()),
                        "records": len(records)}
            if first_at is None:
                first_at = int(time.time() * 1000)
            key = msg.key()
            records.append({"p": msg.partition(), "o": msg.offset(),
                            "k": None if key is None else key.hex(), "v": msg.value().hex()})
        consumer.commit(asynchronous=False)
    finally:
        consumer.close()
    return {"ok": True, "group": hexs(conf.get("group.id", "")), "first_at": first_at,
            "records": records, "subjects": None, "schemas": None}


def registry_view(registry, records):
    client = SchemaRegistryClient(registry)
    subjects = [hexs(s) for s in client.get_subjects()]
    schemas = {}
    for r in records:
        value = bytes.fromhex(r["v"])
        if len(value) >= 5 and value[0] == 0:
            schema_id = int.from_bytes(value[1:5], "big")
            schemas[str(schema_id)] = hexs(client.get_schema(schema_id).schema_str)
    return subjects, schemas


def run(job):
    fmt, path, ca, topic, wanted, timeout_ms = job[:6]
    try:
        if fmt == "python":
            conf, registry = read_ini(path)
        else:
            conf, registry = read_conf(path, trim=True), None
        if len(job) > 6:
            conf["group.id"] = job[6]
        result = consume(conf, ca, topic, int(wanted), int(timeout_ms))
        if result["ok"] and registry is not None:
            result["subjects"], result["schemas"] = registry_view(registry, result["records"])
        return result
    except KafkaException as e:
        err = e.args[0]
        return {"ok": False, "error": err.name(), "message": hexs(err.str()), "records": 0}
    except Exception as e:  # reported to the test, which shows it
        return {"ok": False, "error": type(e).__name__, "message": hexs(e), "records": 0}


def main():
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line:
            print(json.dumps(run(line.split("\t"))), flush=True)


if __name__ == "__main__":
    main()
