"""librdkafka (confluent-kafka) producer under continuous load, for the cluster failover tests.

Usage: cluster_producer.py '<json spec>'
  spec {bootstrap, topic, prefix, stop_file, config?, interval_ms?, max_seconds?, flush_seconds?}

Produces values "<prefix><i>" (key "<prefix>k<i>"), i = 0, 1, ..., one every interval_ms, until
the file `stop_file` exists (the test creates it) or max_seconds passed; then flushes.
Prints {"event": "started"} once the first message is delivered, then one
{"event": "delivered", "i", "value", "partition", "offset", "error"} per delivery report (in
the order they arrive), then {"event": "flushed", "produced", "remaining"}. Exit 0 even when
some deliveries failed: the test decides what a failure means (it counts only delivered ones).
"""
import json
import os
import sys
import time

from confluent_kafka import Producer


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def main(spec):
    conf = {'bootstrap.servers': spec['bootstrap'], 'client.id': 'samsa-cluster-producer'}
    conf.update(spec.get('config', {}))
    producer = Producer(conf)
    prefix = spec['prefix']
    interval = spec.get('interval_ms', 20) / 1000.0
    deadline = time.time() + spec.get('max_seconds', 90)
    state = {'started': False}

    def report(i):
        def on_delivery(err, msg):
            if err is None and not state['started']:
                state['started'] = True
                emit({'event': 'started'})
            emit({'event': 'delivered', 'i': i, 'value': '%s%d' % (prefix, i), 'partition': msg.partition(),
                  'offset': msg.offset(), 'error': None if err is None else str(err)})
        return on_delivery

    i = 0
    while not os.path.exists(spec['stop_file']) and time.time() < deadline:
        while True:
            try:
                producer.produce(spec['topic'], key=('%sk%d' % (prefix, i)).encode(), value=('%s%d' % (prefix, i)).encode(),
                                 on_delivery=report(i))
                break
            except BufferError:
                producer.poll(0.1)
        i += 1
        producer.poll(interval)
    remaining = producer.flush(spec.get('flush_seconds', 60))
    emit({'event': 'flushed', 'produced': i, 'remaining': remaining})


if __name__ == '__main__':
    main(json.loads(sys.argv[1]))
