/** AhaMove's configuration: off when unset, an error when half set, a carrier when complete. */
import { ConfigError, parseConfig } from '../../../shared/config';
import { ahamoveConfigSpec, ahamoveFromConfig } from './adapter';

describe('ahamoveFromConfig', () => {
  it('leaves AhaMove off when nothing is set', () => {
    expect(ahamoveFromConfig(parseConfig(ahamoveConfigSpec, {}))).toBeUndefined();
  });

  it('names what is missing when AhaMove is half configured', () => {
    const config = parseConfig(ahamoveConfigSpec, { AHAMOVE_API_URL: 'https://partner-apistg.ahamove.com' });
    expect(() => ahamoveFromConfig(config)).toThrow(ConfigError);
    expect(() => ahamoveFromConfig(config)).toThrow(/AHAMOVE_API_KEY.*\n.*AHAMOVE_WEBHOOK_APIKEY/);
  });

  it('builds the carrier when everything is set', () => {
    const carrier = ahamoveFromConfig(
      parseConfig(ahamoveConfigSpec, {
        AHAMOVE_API_URL: 'https://partner-apistg.ahamove.com',
        AHAMOVE_API_KEY: 'token',
        AHAMOVE_WEBHOOK_APIKEY: 'hook-key',
      }),
    );
    expect(carrier).toMatchObject({ name: 'ahamove', webhookTrusted: true });
    carrier!.close();
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => parseConfig(ahamoveConfigSpec, { AHAMOVE_API_URL: 'ftp://x' })).toThrow(ConfigError);
  });
});
