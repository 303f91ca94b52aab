// Tagged fields (KIP-482). In flexible versions every struct ends with a tagged-field section:
//   uvarint count, then per field: uvarint tag, uvarint size, `size` bytes.
// Tags must appear in strictly ascending order. Tags the schema does not know are kept raw in
// `_unknownTags` on the decoded struct and re-emitted in order on encode (franz-go does the same),
// so a proxy or a newer client loses nothing going through us.

export interface RawTaggedField {
  readonly tag: number;
  /** The field's bytes (a slice of the frame on decode; not copied). */
  readonly data: Buffer;
}

/** Every generated struct may carry unknown tagged fields it saw on decode. */
export interface TaggedStruct {
  _unknownTags?: RawTaggedField[];
}
