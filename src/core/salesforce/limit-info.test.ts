import { describe, expect, it } from 'vitest';
import { parseLimitInfo } from './limit-info.js';

describe('parseLimitInfo', () => {
  it('reads the current format', () => {
    expect(parseLimitInfo('api-usage=10018/100000; api-bursts=1/750')).toEqual({
      apiUsage: { used: 10018, max: 100000 },
      apiBursts: { used: 1, max: 750 },
    });
  });

  it('reads api-usage alone', () => {
    expect(parseLimitInfo('api-usage=18/5000')).toEqual({ apiUsage: { used: 18, max: 5000 } });
  });

  it('reads the older per-app form with its app name', () => {
    expect(parseLimitInfo('api-usage=18/5000; per-app-api-usage=17/250(appName=sample-connected-app)')).toEqual({
      apiUsage: { used: 18, max: 5000 },
      perApp: { used: 17, max: 250, appName: 'sample-connected-app' },
    });
  });

  it('tolerates spacing and unknown parts', () => {
    expect(parseLimitInfo(' api-usage = 3 / 10 ;future-thing=1/2;junk')).toEqual({ apiUsage: { used: 3, max: 10 } });
  });

  it.each([undefined, null, '', 'garbage', 'api-usage=abc/def', 'api-bursts=1/750', 'api-usage=10'])('gives undefined for %o', (header) => {
    expect(parseLimitInfo(header)).toBeUndefined();
  });
});
