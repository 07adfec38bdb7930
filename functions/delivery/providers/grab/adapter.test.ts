/** Grab's configuration: off when unset, an error when half set, a carrier when complete. */
import { ConfigError, parseConfig } from '../../../shared/config';
import { grabConfigSpec, grabFromConfig } from './adapter';

const complete = {
  GRAB_API_URL: 'https://partner-api.grab.com/grab-express-sandbox',
  GRAB_CLIENT_ID: 'client',
  GRAB_CLIENT_SECRET: 'secret',
  GRAB_WEBHOOK_AUTHORIZATION: 'Basic aG9vaw==',
  GRAB_WEBHOOK_AUTHORIZATION_ID: 'tuoi',
};

describe('grabFromConfig', () => {
  it('leaves Grab off when nothing is set', () => {
    expect(grabFromConfig(parseConfig(grabConfigSpec, {}))).toBeUndefined();
  });

  it('names what is missing when Grab is half configured', () => {
    const { GRAB_CLIENT_SECRET: _, GRAB_WEBHOOK_AUTHORIZATION_ID: __, ...half } = complete;
    const config = parseConfig(grabConfigSpec, half);
    expect(() => grabFromConfig(config)).toThrow(ConfigError);
    expect(() => grabFromConfig(config)).toThrow(/GRAB_CLIENT_SECRET.*\n.*GRAB_WEBHOOK_AUTHORIZATION_ID/);
  });

  it('builds the carrier when everything is set, ignoring other variables', () => {
    const carrier = grabFromConfig({ ...parseConfig(grabConfigSpec, complete), OTHER: undefined } as never);
    expect(carrier).toMatchObject({ name: 'grab', webhookTrusted: true });
    carrier!.close();
  });
});
