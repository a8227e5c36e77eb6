// Format and delimiter of a file: the definition's, or inferred from the file's extension (the parameter table's rules).
import { type Delimiter, delimiterOfName, formatOfName, type SourceFormat } from '../config/parameters.js';

/** Undefined when the extension says nothing (the caller reports E_SOURCE_FORMAT). */
export function inferFormat(path: string, declared: SourceFormat | undefined): SourceFormat | undefined {
  return declared ?? formatOfName(path);
}

export function inferDelimiter(path: string, declared: Delimiter | undefined): Delimiter {
  return declared ?? delimiterOfName(path);
}
