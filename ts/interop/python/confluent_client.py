"""confluent-kafka (librdkafka) driver for Samsa's interop tests.

Usage: confluent_client.py <command> <json spec>; more input (messages) as JSON on stdin.
Prints one JSON object per line on stdout. Binary keys/values travel as base64 ("k64"/"v64";
null stays null). Exits non-zero with a message on stderr on any failure.

Commands:
  produce      spec {bootstrap, topic, config}; stdin [{k64, v64, partition?, headers: [[k, v64]]}]
               -> {"event": "delivered", "i", "partition", "offset", "error"} per message, in the
                  order delivery reports arrive, then {"event": "flushed", "remaining"}
  consume      spec {bootstrap, topic, assignments: [{partition, offset}], count, timeout}
               offset: an absolute offset, or "beginning" / "end"
               -> {"event": "message", partition, offset, k64, v64, headers, timestamp} x count
  create_topic spec {bootstrap, topic, partitions, config?} -> {"event": "created", "topic", "error"}
  describe     spec {bootstrap, topic} -> {"event": "metadata", brokers, topic, partitions: [...]}
               then {"event": "configs", "configs": {name: value}}
  offsets      spec {bootstrap, topic, partitions, timestamps?: [ms]}
               -> {"event": "watermarks", partition, low, high} per partition, then
                  {"event": "offset_for_time", partition, timestamp, offset} per (partition, ts)
"""
import base64
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, OFFSET_BEGINNING, OFFSET_END, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic


def b64(data):
    return None if data is None else base64.b64encode(data).decode('ascii')


def unb64(text):
    return None if text is None else base64.b64decode(text)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')


def produce(spec):
    messages = json.load(sys.stdin)
    conf = {'bootstrap.servers': spec['bootstrap'], 'client.id': 'samsa-interop-confluent'}
    conf.update(spec.get('config', {}))
    producer = Producer(conf)
    failures = []

    def report(i):
        def on_delivery(err, msg):
            emit({'event': 'delivered', 'i': i, 'partition': msg.partition(), 'offset': msg.offset(),
                  'error': None if err is None else str(err)})
            if err is not None:
                failures.append(str(err))
        return on_delivery

    for i, m in enumerate(messages):
        kwargs = {'key': unb64(m.get('k64')), 'value': unb64(m.get('v64')), 'on_delivery': report(i)}
        if m.get('partition') is not None:
            kwargs['partition'] = m['partition']
        if m.get('headers'):
            kwargs['headers'] = [(k, unb64(v)) for k, v in m['headers']]
        while True:
            try:
                producer.produce(spec['topic'], **kwargs)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    remaining = producer.flush(spec.get('timeout', 30))
    emit({'event': 'flushed', 'remaining': remaining})
    if remaining or failures:
        sys.exit('produce: %d undelivered, errors: %s' % (remaining, failures[:5]))


def consume(spec):
    conf = {'bootstrap.servers': spec['bootstrap'], 'client.id': 'samsa-interop-confluent',
            # librdkafka 2.0.2 refuses a consumer without group.id; with assign() and explicit
            # offsets the group coordinator is never needed and nothing is committed.
            'group.id': spec.get('group', 'samsa-interop-unused'), 'enable.auto.commit': False,
            'enable.auto.offset.store': False, 'enable.partition.eof': False}
    conf.update(spec.get('config', {}))
    consumer = Consumer(conf)
    special = {'beginning': OFFSET_BEGINNING, 'end': OFFSET_END}
    consumer.assign([TopicPartition(spec['topic'], a['partition'], special.get(a['offset'], a['offset']))
                     for a in spec['assignments']])
    want = spec['count']
    got = 0
    deadline = time.time() + spec.get('timeout', 30)
    try:
        while got < want:
            if time.time() > deadline:
                sys.exit('consume: timed out with %d of %d messages' % (got, want))
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                sys.exit('consume: %s' % msg.error())
            emit({'event': 'message', 'partition': msg.partition(), 'offset': msg.offset(),
                  'k64': b64(msg.key()), 'v64': b64(msg.value()), 'timestamp': msg.timestamp()[1],
                  'headers': [[k, b64(v)] for k, v in (msg.headers() or [])]})
            got += 1
    finally:
        consumer.close()


def admin_client(spec):
    return AdminClient({'bootstrap.servers': spec['bootstrap'], 'client.id': 'samsa-interop-confluent'})


def create_topic(spec):
    admin = admin_client(spec)
    futures = admin.create_topics([NewTopic(spec['topic'], spec['partitions'], 1, config=spec.get('config', {}))],
                                  operation_timeout=10)
    for topic, fut in futures.items():
        try:
            fut.result(15)
            emit({'event': 'created', 'topic': topic, 'error': None})
        except KafkaException as e:
            emit({'event': 'created', 'topic': topic, 'error': e.args[0].name()})


def describe(spec):
    admin = admin_client(spec)
    md = admin.list_topics(spec['topic'], timeout=15)
    t = md.topics[spec['topic']]
    emit({'event': 'metadata', 'cluster_id': md.cluster_id, 'controller_id': md.controller_id,
          'brokers': [{'id': b.id, 'host': b.host, 'port': b.port} for b in md.brokers.values()],
          'topic': t.topic, 'error': None if t.error is None else t.error.name(),
          'partitions': sorted([{'id': p.id, 'leader': p.leader, 'replicas': p.replicas, 'isrs': p.isrs}
                                for p in t.partitions.values()], key=lambda p: p['id'])})
    res = ConfigResource(ConfigResource.Type.TOPIC, spec['topic'])
    configs = admin.describe_configs([res])[res].result(15)
    emit({'event': 'configs', 'configs': {k: v.value for k, v in configs.items()}})


def offsets(spec):
    consumer = Consumer({'bootstrap.servers': spec['bootstrap'], 'group.id': 'samsa-interop-unused',
                         'client.id': 'samsa-interop-confluent', 'enable.auto.commit': False})
    try:
        for p in spec['partitions']:
            low, high = consumer.get_watermark_offsets(TopicPartition(spec['topic'], p), timeout=15)
            emit({'event': 'watermarks', 'partition': p, 'low': low, 'high': high})
        for ts in spec.get('timestamps', []):
            found = consumer.offsets_for_times([TopicPartition(spec['topic'], p, ts) for p in spec['partitions']], timeout=15)
            for tp in found:
                emit({'event': 'offset_for_time', 'partition': tp.partition, 'timestamp': ts, 'offset': tp.offset,
                      'error': None if tp.error is None else str(tp.error)})
    finally:
        consumer.close()


COMMANDS = {'produce': produce, 'consume': consume, 'create_topic': create_topic, 'describe': describe, 'offsets': offsets}

if __name__ == '__main__':
    COMMANDS[sys.argv[1]](json.loads(sys.argv[2]))
    sys.stdout.flush()
