// node:test reporter that prints only the closing `N passed, N failed` line.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.data?.details?.type === 'suite') continue;
    if (event.type === 'test:pass') passed += 1;
    else if (event.type === 'test:fail') failed += 1;
  }
  yield `${passed} passed, ${failed} failed\n`;
}
