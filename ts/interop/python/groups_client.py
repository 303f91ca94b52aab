"""Group consumers for ts/interop/groups-python.test.ts (consumer groups, brief H).

Usage: groups_client.py '<json spec>'
  spec: {"client": "confluent"|"kafka-python", "bootstrap": "host:port", "topic": str,
         "group": str, "members": int, "expected": int, "assignor": "range"|"cooperative-sticky"|
         "roundrobin", "timeout": seconds, "instance": static member id prefix (confluent only),
         "session": session.timeout.ms (confluent only)}
Runs `members` consumers of one group in threads until together they saw `expected` distinct
keys and committed, then prints one JSON line:
  {"distinct": n, "total": n, "members": [{"assigned": [partitions], "count": n}], "committed": {p: offset}}
"""
import json
import sys
import threading
import time


def run_confluent(spec, idx, state):
    from confluent_kafka import Consumer, TopicPartition
    conf = {
        'bootstrap.servers': spec['bootstrap'], 'group.id': spec['group'],
        'auto.offset.reset': 'earliest', 'enable.auto.commit': False,
        'partition.assignment.strategy': spec.get('assignor', 'range'),
        'session.timeout.ms': spec.get('session', 6000), 'heartbeat.interval.ms': 300,
        'topic.metadata.refresh.interval.ms': 1000,
    }
    if spec.get('instance'):
        # static membership (KIP-345): close() does not leave the group
        conf['group.instance.id'] = '%s-%d' % (spec['instance'], idx)
    c = Consumer(conf)
    c.subscribe([spec['topic']])
    mine = state['members'][idx]
    try:
        while not state['stop'].is_set():
            msgs = c.consume(num_messages=500, timeout=0.2)
            for m in msgs:
                if m.error():
                    continue
                state['record'](m.key().decode(), mine)
            if msgs:
                c.commit(asynchronous=False)
            mine['assigned'] = sorted(tp.partition for tp in c.assignment())
        committed = c.committed([TopicPartition(spec['topic'], p) for p in range(spec.get('partitions', 6))], timeout=10)
        for tp in committed:
            state['committed'][tp.partition] = tp.offset
    finally:
        c.close()


def run_kafka_python(spec, idx, state):
    from kafka import KafkaConsumer
    c = KafkaConsumer(spec['topic'], bootstrap_servers=spec['bootstrap'], group_id=spec['group'],
                      auto_offset_reset='earliest', enable_auto_commit=False,
                      session_timeout_ms=6000, heartbeat_interval_ms=300, consumer_timeout_ms=200)
    mine = state['members'][idx]
    try:
        while not state['stop'].is_set():
            polled = c.poll(timeout_ms=200, max_records=500)
            got = False
            for records in polled.values():
                for m in records:
                    state['record'](m.key.decode(), mine)
                    got = True
            if got:
                c.commit()
            mine['assigned'] = sorted(tp.partition for tp in c.assignment())
        from kafka import TopicPartition
        for p in range(spec.get('partitions', 6)):
            off = c.committed(TopicPartition(spec['topic'], p))
            state['committed'][p] = -1 if off is None else off
    finally:
        c.close()


def main():
    spec = json.loads(sys.argv[1])
    lock = threading.Lock()
    seen = {}
    state = {'stop': threading.Event(), 'members': [{'assigned': [], 'count': 0} for _ in range(spec['members'])],
             'committed': {}}

    def record(key, mine):
        with lock:
            seen[key] = seen.get(key, 0) + 1
            mine['count'] += 1

    state['record'] = record
    target = run_confluent if spec['client'] == 'confluent' else run_kafka_python
    threads = [threading.Thread(target=target, args=(spec, i, state), daemon=True) for i in range(spec['members'])]
    for t in threads:
        t.start()
    deadline = time.time() + spec.get('timeout', 60)
    balanced_since = None
    snapshot = None
    while time.time() < deadline:
        time.sleep(0.2)
        with lock:
            done = len(seen) >= spec['expected']
        assigned = sorted(p for m in state['members'] for p in m['assigned'])
        balanced = assigned == list(range(spec.get('partitions', 6))) and all(m['assigned'] for m in state['members'])
        if done and balanced:
            balanced_since = balanced_since or time.time()
            if time.time() - balanced_since > 1.0:
                # the assignment as it stood while balanced: once one member closes, the others
                # rebalance and take its partitions before they see the stop flag
                snapshot = [list(m['assigned']) for m in state['members']]
                break
        else:
            balanced_since = None
    state['stop'].set()
    for t in threads:
        t.join(timeout=30)
    if snapshot is not None:
        for m, assigned in zip(state['members'], snapshot):
            m['assigned'] = assigned
    print(json.dumps({'distinct': len(seen), 'total': sum(seen.values()), 'members': state['members'],
                      'committed': state['committed']}), flush=True)


if __name__ == '__main__':
    main()
