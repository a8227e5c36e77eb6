// `fields[]=Name==value` filters on profile lists, with the operators == != <> < > <= >= =~ !~.
export type FilterOperator = '==' | '!=' | '<>' | '<' | '>' | '<=' | '>=' | '=~' | '!~';

export interface FieldFilter {
  field: string;
  operator: FilterOperator;
  value: string;
}

const FILTER_PATTERN = /^(.+?)(==|!=|<>|<=|>=|=~|!~|<|>)(.*)$/s;

/** The query's `fields[]` (or `fields`) filters; one without an operator is left out. */
export function parseFilters(query: URLSearchParams): FieldFilter[] {
  return [...query.getAll('fields[]'), ...query.getAll('fields')].flatMap((raw) => {
    const match = FILTER_PATTERN.exec(raw);
    return match
      ? [{ field: match[1] ?? '', operator: match[2] as FilterOperator, value: match[3] ?? '' }]
      : [];
  });
}

export function matchesFilters(fields: Record<string, string>, filters: FieldFilter[]): boolean {
  return filters.every((filter) => matchesFilter(lookup(fields, filter.field), filter));
}

function lookup(fields: Record<string, string>, name: string): string {
  const lower = name.toLowerCase();
  return Object.entries(fields).find(([key]) => key.toLowerCase() === lower)?.[1] ?? '';
}

/** Which orders (compare()'s -1, 0 or 1) each comparing operator accepts. */
const ACCEPTS = { '==': [0], '!=': [-1, 1], '<>': [-1, 1], '<': [-1], '>': [1], '<=': [-1, 0], '>=': [0, 1] };

function matchesFilter(stored: string, { operator, value }: FieldFilter): boolean {
  if (operator === '=~' || operator === '!~') return likePattern(value).test(stored) === (operator === '=~');
  return ACCEPTS[operator].includes(compare(stored, value));
}

/** Numbers compare as numbers, text case-insensitively (MySQL's default collation). */
function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb))
    return Math.sign(na - nb);
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** SQL LIKE: % any run, _ one character; case-insensitive. */
function likePattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}
