"""kafka-python driver for Samsa's interop tests (Debian's python3-kafka).

Usage: kafka_python_client.py <command> <json spec>; messages as JSON on stdin.
Prints one JSON object per line on stdout; binary keys/values as base64 ("k64"/"v64").

Commands:
  produce          spec {bootstrap, topic, acks?, config?}; stdin [{k64, v64, partition?, headers: [[k, v64]]}]
                   -> {"event": "sent", "i", "partition", "offset"} per message, in send order
  consume          spec {bootstrap, topic, partitions, count, timeout}: assign() + seek_to_beginning
                   -> {"event": "message", partition, offset, k64, v64, headers, timestamp} x count
  create_topics    spec {bootstrap, topics: [{name, partitions, config?}]}
                   -> {"event": "created", "topic", "error_code"} per topic
  describe_configs spec {bootstrap, topic} -> {"event": "configs", "error_code", "configs": {name: value}}
  api_versions     spec {bootstrap} -> {"event": "version", "version": [..]} (the broker version it infers)
"""
import base64
import json
import logging
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic

logging.basicConfig(stream=sys.stderr, level=logging.WARNING)


def b64(data):
    return None if data is None else base64.b64encode(data).decode('ascii')


def unb64(text):
    return None if text is None else base64.b64decode(text)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')


def produce(spec):
    messages = json.load(sys.stdin)
    conf = {'bootstrap_servers': spec['bootstrap'], 'client_id': 'samsa-interop-kafka-python',
            'acks': spec.get('acks', 'all'), 'retries': 5, 'linger_ms': 5}
    conf.update(spec.get('config', {}))
    producer = KafkaProducer(**conf)
    futures = []
    for m in messages:
        headers = [(k, unb64(v)) for k, v in (m.get('headers') or [])]
        futures.append(producer.send(spec['topic'], key=unb64(m.get('k64')), value=unb64(m.get('v64')),
                                     headers=headers, partition=m.get('partition')))
    producer.flush(30)
    for i, fut in enumerate(futures):
        md = fut.get(timeout=30)
        emit({'event': 'sent', 'i': i, 'partition': md.partition, 'offset': md.offset})
    producer.close(10)


def consume(spec):
    consumer = KafkaConsumer(bootstrap_servers=spec['bootstrap'], client_id='samsa-interop-kafka-python',
                             group_id=None, enable_auto_commit=False, auto_offset_reset='earliest')
    tps = [TopicPartition(spec['topic'], p) for p in spec['partitions']]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    got = 0
    deadline = time.time() + spec.get('timeout', 30)
    try:
        while got < spec['count']:
            if time.time() > deadline:
                sys.exit('consume: timed out with %d of %d messages' % (got, spec['count']))
            for tp, records in consumer.poll(timeout_ms=500).items():
                for r in records:
                    emit({'event': 'message', 'partition': r.partition, 'offset': r.offset, 'k64': b64(r.key),
                          'v64': b64(r.value), 'timestamp': r.timestamp,
                          'headers': [[k, b64(v)] for k, v in (r.headers or [])]})
                    got += 1
    finally:
        consumer.close()


def admin_client(spec):
    return KafkaAdminClient(bootstrap_servers=spec['bootstrap'], client_id='samsa-interop-kafka-python',
                            request_timeout_ms=15000)


def create_topics(spec):
    admin = admin_client(spec)
    try:
        topics = [NewTopic(t['name'], t['partitions'], 1, topic_configs=t.get('config', {})) for t in spec['topics']]
        try:
            response = admin.create_topics(topics, timeout_ms=10000)
            for err in response.topic_errors:
                emit({'event': 'created', 'topic': err[0], 'error_code': err[1]})
        except KafkaError as e:
            # kafka-python 2.0.2 raises on the first topic error instead of returning it.
            if len(topics) != 1 or not getattr(e, 'errno', None):
                raise
            emit({'event': 'created', 'topic': topics[0].name, 'error_code': e.errno})
    finally:
        admin.close()


def describe_configs(spec):
    admin = admin_client(spec)
    try:
        responses = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, spec['topic'])])
        for response in responses:
            for resource in response.resources:
                error_code, _msg, _type, _name, entries = resource[:5]
                emit({'event': 'configs', 'error_code': error_code,
                      'configs': {e[0]: e[1] for e in entries}})
    finally:
        admin.close()


def api_versions(spec):
    consumer = KafkaConsumer(bootstrap_servers=spec['bootstrap'], client_id='samsa-interop-kafka-python')
    try:
        emit({'event': 'version', 'version': list(consumer.config['api_version'])})
    finally:
        consumer.close()


COMMANDS = {'produce': produce, 'consume': consume, 'create_topics': create_topics,
            'describe_configs': describe_configs, 'api_versions': api_versions}

if __name__ == '__main__':
    COMMANDS[sys.argv[1]](json.loads(sys.argv[2]))
    sys.stdout.flush()
