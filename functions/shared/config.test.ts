import { ConfigError, hostList, int, oneOf, optional, parseConfig, str, url } from './config';

describe('parseConfig', () => {
  const spec = {
    DATABASE_URL: url(['postgres:']),
    PORT: int({ fallback: 8080, min: 1, max: 65535 }),
    MODE: oneOf(['a', 'b'] as const, 'a'),
    NAME: str('tuoi'),
    BROKERS: hostList(['127.0.0.1:9092']),
    NOTE: optional(),
  };

  it('reads and defaults typed values', () => {
    expect(
      parseConfig(spec, { DATABASE_URL: 'postgres://u@h/db', PORT: '9000', BROKERS: 'a:1, b:2' }),
    ).toEqual({
      DATABASE_URL: 'postgres://u@h/db',
      PORT: 9000,
      MODE: 'a',
      NAME: 'tuoi',
      BROKERS: ['a:1', 'b:2'],
      NOTE: undefined,
    });
  });

  it.each([
    [{}, 'DATABASE_URL is required but not set'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must use postgres:'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL'],
    [{ DATABASE_URL: 'postgres://x', PORT: '80.5' }, 'PORT must be an integer'],
    [{ DATABASE_URL: 'postgres://x', PORT: '70000' }, 'PORT must be <= 65535'],
    [{ DATABASE_URL: 'postgres://x', MODE: 'c' }, 'MODE must be one of a|b'],
    [{ DATABASE_URL: 'postgres://x', BROKERS: 'nohost' }, 'BROKERS "nohost" is not host:port'],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => parseConfig(spec, env)).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    try {
      parseConfig(spec, { PORT: 'x', MODE: 'z' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
        'DATABASE_URL',
        'PORT',
        'MODE',
      ]);
    }
  });
});
