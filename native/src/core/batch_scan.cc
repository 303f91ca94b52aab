// Batch scan implementation; the contract and output layout are in batch_scan.h. Mirrored by
// ts/native/batch-scan.ref.ts: any change in a check, its order or its details goes in both.
#include "batch_scan.h"

#include "batch_layout.h"
#include "crc32c.h"

namespace samsa {
namespace {

using namespace batch;

struct Failure {
  Status status;
  double detail1;
  double detail2;
};

// Reads an unsigned LEB128 varint of at most `max_bytes` from [*p, end) into a 32-bit register
// (bits past 32 are dropped, as Kafka's readVarint does). False if it runs out or is too long.
bool read_varint32(const uint8_t* buf, size_t* p, size_t end, int max_bytes, uint32_t* raw) {
  uint32_t v = 0;
  for (int i = 0; i < max_bytes; i++) {
    if (*p >= end) return false;
    uint8_t b = buf[(*p)++];
    v |= static_cast<uint32_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      *raw = v;
      return true;
    }
  }
  return false;
}

bool skip_varint(const uint8_t* buf, size_t* p, size_t end, int max_bytes) {
  for (int i = 0; i < max_bytes; i++) {
    if (*p >= end) return false;
    if ((buf[(*p)++] & 0x80) == 0) return true;
  }
  return false;
}

inline int32_t zigzag32(uint32_t raw) {
  return static_cast<int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

// Smallest record body: attributes, timestampDelta, offsetDelta, keyLength, valueLength,
// headersCount, one byte each.
constexpr int32_t kMinRecordBody = 6;

// Walks the records of an uncompressed batch in [p + 61, p + size). Only the framing and the
// offsetDelta of each record are checked; keys, values and headers are not decoded.
bool walk_records(const uint8_t* buf, size_t p, size_t size, int32_t count, Failure* f) {
  size_t q = p + kRecordsOff;
  const size_t batch_end = p + size;
  for (int32_t i = 0; i < count; i++) {
    const size_t record_pos = q;
    uint32_t raw;
    bool ok = read_varint32(buf, &q, batch_end, 5, &raw);
    int32_t len = ok ? zigzag32(raw) : -1;
    ok = ok && len >= kMinRecordBody && static_cast<size_t>(len) <= batch_end - q;
    if (ok) {
      const size_t record_end = q + static_cast<size_t>(len);
      size_t r = q + 1;  // attributes
      ok = skip_varint(buf, &r, record_end, 10) && read_varint32(buf, &r, record_end, 5, &raw) &&
           zigzag32(raw) == i;
      q = record_end;
    }
    if (!ok) {
      *f = {Status::RecordFramingError, static_cast<double>(i), static_cast<double>(record_pos)};
      return false;
    }
  }
  if (q != batch_end) {
    *f = {Status::RecordFramingError, static_cast<double>(count), static_cast<double>(q)};
    return false;
  }
  return true;
}

// Validates the batch at p (remaining bytes: left). On success stores its size in *size.
bool check_batch(const ScanRequest& req, size_t p, int64_t prev_last, size_t* size, Failure* f) {
  const uint8_t* b = req.buf + p;
  const size_t left = req.end - p;
  const bool recover = req.mode == ScanMode::Recover;
  if (left < kLogOverhead) {
    *f = {recover ? Status::Truncated : Status::BatchTooShort, -1, static_cast<double>(left)};
    return false;
  }
  const int32_t length = sbe32(b + kLengthOff);
  if (length < kMinBatchLength) {
    *f = {Status::BatchTooShort, static_cast<double>(length), static_cast<double>(left)};
    return false;
  }
  if (static_cast<size_t>(length) > left - kLogOverhead) {
    *f = {recover ? Status::Truncated : Status::BatchLengthOutOfBounds,
          static_cast<double>(length), static_cast<double>(left)};
    return false;
  }
  *size = kLogOverhead + static_cast<size_t>(length);
  if (b[kMagicOff] != kMagic) {
    *f = {Status::BadMagic, static_cast<double>(b[kMagicOff]), 0};
    return false;
  }
  const uint32_t stored = be32(b + kCrcOff);
  const uint32_t computed = crc32c(b + kAttributesOff, *size - kAttributesOff, 0);
  if (stored != computed) {
    *f = {Status::CrcMismatch, static_cast<double>(stored), static_cast<double>(computed)};
    return false;
  }
  const int32_t count = sbe32(b + kRecordsCountOff);
  const int32_t delta = sbe32(b + kLastOffsetDeltaOff);
  const double dc = count, dd = delta;
  if (req.mode == ScanMode::Produce) {
    if (count <= 0) return *f = {Status::BadRecordCount, dc, dd}, false;
    if (delta != count - 1) return *f = {Status::BadLastOffsetDelta, dc, dd}, false;
    const uint16_t attributes = be16(b + kAttributesOff);
    if ((attributes & kCompressionMask) == 0 && !walk_records(req.buf, p, *size, count, f)) {
      return false;
    }
    return true;
  }
  if (count < 0) return *f = {Status::BadRecordCount, dc, dd}, false;
  if (delta < 0) return *f = {Status::BadLastOffsetDelta, dc, dd}, false;
  if (static_cast<int64_t>(count) > static_cast<int64_t>(delta) + 1) {
    return *f = {Status::BadRecordCount, dc, dd}, false;
  }
  const int64_t base = sbe64(b + kBaseOffsetOff);
  if (base <= prev_last) {
    *f = {Status::NonMonotonicOffsets, static_cast<double>(base), static_cast<double>(prev_last)};
    return false;
  }
  if (base > static_cast<int64_t>(scan::kMaxSafeInteger) - delta) {
    return *f = {Status::OffsetOverflow, static_cast<double>(base), dd}, false;
  }
  return true;
}

void summarise(const uint8_t* b, size_t p, size_t size, double* s) {
  s[scan::kPosition] = static_cast<double>(p);
  s[scan::kSize] = static_cast<double>(size);
  s[scan::kBaseOffset] = static_cast<double>(sbe64(b + kBaseOffsetOff));
  s[scan::kLastOffsetDelta] = sbe32(b + kLastOffsetDeltaOff);
  s[scan::kLeaderEpoch] = sbe32(b + kLeaderEpochOff);
  s[scan::kAttributes] = be16(b + kAttributesOff);
  s[scan::kFirstTimestamp] = static_cast<double>(sbe64(b + kBaseTimestampOff));
  s[scan::kMaxTimestamp] = static_cast<double>(sbe64(b + kMaxTimestampOff));
  s[scan::kProducerId] = static_cast<double>(sbe64(b + kProducerIdOff));
  s[scan::kProducerEpoch] = sbe16(b + kProducerEpochOff);
  s[scan::kBaseSequence] = sbe32(b + kBaseSequenceOff);
  s[scan::kRecordCount] = sbe32(b + kRecordsCountOff);
}

// Rewrites the fields the broker owns. baseOffset and partitionLeaderEpoch lie outside the CRC;
// LogAppendTime changes attributes and maxTimestamp, so that batch is re-checksummed.
int32_t assign(const ScanRequest& req, int32_t count) {
  double* out = req.out;
  int64_t next = req.assign_base;
  if (next >= 0) {  // refuse before writing anything if the last offset would pass 2^53 - 1
    int64_t last = next - 1;
    for (int32_t i = 0; i < count; i++) {
      const double* s = out + scan::kHeaderSlots + i * scan::kStride;
      last += static_cast<int64_t>(s[scan::kLastOffsetDelta]) + 1;
      if (last > static_cast<int64_t>(scan::kMaxSafeInteger)) {
        out[scan::kErrorBatch] = i;
        out[scan::kErrorPosition] = s[scan::kPosition];
        out[scan::kDetail1] = static_cast<double>(req.assign_base);
        out[scan::kDetail2] = s[scan::kLastOffsetDelta];
        return to_int(Status::OffsetOverflow);
      }
    }
  }
  for (int32_t i = 0; i < count; i++) {
    double* s = out + scan::kHeaderSlots + i * scan::kStride;
    const size_t p = static_cast<size_t>(s[scan::kPosition]);
    uint8_t* b = req.buf + p;
    if (next >= 0) {
      put_be64(b + kBaseOffsetOff, static_cast<uint64_t>(next));
      s[scan::kBaseOffset] = static_cast<double>(next);
      next += static_cast<int64_t>(s[scan::kLastOffsetDelta]) + 1;
    }
    if (req.leader_epoch >= 0) {
      put_be32(b + kLeaderEpochOff, static_cast<uint32_t>(req.leader_epoch));
      s[scan::kLeaderEpoch] = static_cast<double>(req.leader_epoch);
    }
    if (req.log_append_time >= 0) {
      const uint16_t attributes = be16(b + kAttributesOff) | kTimestampTypeMask;
      put_be16(b + kAttributesOff, attributes);
      put_be64(b + kMaxTimestampOff, static_cast<uint64_t>(req.log_append_time));
      const size_t size = static_cast<size_t>(s[scan::kSize]);
      put_be32(b + kCrcOff, crc32c(b + kAttributesOff, size - kAttributesOff, 0));
      s[scan::kAttributes] = attributes;
      s[scan::kMaxTimestamp] = static_cast<double>(req.log_append_time);
    }
  }
  return count;
}

}  // namespace

int32_t scan_batches(const ScanRequest& req) {
  double* out = req.out;
  for (size_t i = 0; i < scan::kHeaderSlots; i++) out[i] = 0;
  const size_t capacity = (req.out_len - scan::kHeaderSlots) / scan::kStride;
  size_t p = req.start;
  int32_t count = 0;
  int64_t prev_last = -1;
  Failure f{Status::Ok, 0, 0};
  while (p < req.end) {
    if (static_cast<size_t>(count) >= capacity) {
      f = {Status::SummaryTooSmall, static_cast<double>(capacity), 0};
      break;
    }
    size_t size = 0;
    if (!check_batch(req, p, prev_last, &size, &f)) break;
    const uint8_t* b = req.buf + p;
    summarise(b, p, size, out + scan::kHeaderSlots + count * scan::kStride);
    if (req.mode != ScanMode::Produce) {  // bounded by the OffsetOverflow check: no overflow
      prev_last = sbe64(b + kBaseOffsetOff) + sbe32(b + kLastOffsetDeltaOff);
    }
    p += size;
    count++;
  }
  out[scan::kValidBytes] = static_cast<double>(p);
  out[scan::kCount] = count;
  if (f.status != Status::Ok) {
    out[scan::kErrorBatch] = count;
    out[scan::kErrorPosition] = static_cast<double>(p);
    out[scan::kDetail1] = f.detail1;
    out[scan::kDetail2] = f.detail2;
    return to_int(f.status);
  }
  out[scan::kErrorBatch] = -1;
  out[scan::kErrorPosition] = -1;
  if (req.assign_base >= 0 || req.leader_epoch >= 0 || req.log_append_time >= 0) {
    return assign(req, count);
  }
  return count;
}

}  // namespace samsa
