import { isRunSummaryJson } from '../../nodes/GenesysCloud/runSummary';

test('only a lone `summary` object with counts is a run summary', () => {
	expect(isRunSummaryJson({ summary: { total: 2, byStatus: { created: 2 } } })).toBe(true);
	expect(isRunSummaryJson({ summary: { total: 2, byStatus: {} }, email: 'a@x.io' })).toBe(false);
	expect(isRunSummaryJson({ summary: 'text' })).toBe(false);
	expect(isRunSummaryJson({ summary: { total: '2', byStatus: {} } })).toBe(false);
	expect(isRunSummaryJson({ userId: 'u', summary: null })).toBe(false);
	expect(isRunSummaryJson({})).toBe(false);
});
