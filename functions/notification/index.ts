/** Entry point of the notification function (functions-framework target `notification`). */
import { register } from '../shared/register';
import { createNotification } from './deps';

register({ name: 'notification', create: createNotification });
