// One data record as the CSV scanner split it, handed to CsvScannerOptions.onRecord (a row reader's way in).

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** Byte offsets in the file (a stripped BOM not counted): the record's first byte, and just past its line end. */
  readonly start: number;
  readonly end: number;
  readonly fieldCount: number;
  /** Field `index`'s value as bytes, quotes removed and doubled quotes undoubled; valid during the call only. */
  fieldBytes(index: number): Uint8Array;
  /** Field `index`'s value as text. */
  field(index: number): string;
}

export type OnCsvRecord = (record: CsvRecord) => void;

/** One reused view per scanner: no allocation per record. */
export class CsvRecordView implements CsvRecord {
  line = 0;
  start = 0;
  end = 0;
  fieldCount = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private ranges = new Int32Array(32);

  constructor(
    private readonly onRecord: OnCsvRecord,
    private readonly decode: (bytes: Uint8Array) => string,
  ) {}

  /** Field `index` lies at [start, end) of the bytes given to emit. */
  setField(index: number, start: number, end: number): void {
    if (index * 2 + 1 >= this.ranges.length) {
      const bigger = new Int32Array(this.ranges.length * 2);
      bigger.set(this.ranges);
      this.ranges = bigger;
    }
    this.ranges[index * 2] = start;
    this.ranges[index * 2 + 1] = end;
  }

  emit(bytes: Uint8Array, line: number, start: number, end: number, fieldCount: number): void {
    this.bytes = bytes;
    this.line = line;
    this.start = start;
    this.end = end;
    this.fieldCount = fieldCount;
    this.onRecord(this);
  }

  fieldBytes(index: number): Uint8Array {
    if (index < 0 || index >= this.fieldCount) throw new RangeError(`no field ${index}`);
    return this.bytes.subarray(this.ranges[index * 2], this.ranges[index * 2 + 1]);
  }

  field(index: number): string {
    return this.decode(this.fieldBytes(index));
  }
}
