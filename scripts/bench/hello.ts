/** The hello function the host benchmark serves (not in the registry: it is a measuring stick). */
import { register } from '../../functions/shared/register';
import { route } from '../../functions/shared/http';

register({
  name: 'hello',
  create: () => ({
    routes: [
      route({
        method: 'GET',
        path: '/hello',
        handle: async () => ({ status: 200, body: { message: 'xin chào' } }),
      }),
    ],
    ready: async () => undefined,
    close: async () => undefined,
  }),
});
