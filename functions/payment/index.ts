/** Entry point of the payment function (functions-framework target `payment`). */
import { register } from '../shared/register';
import { createPayment } from './deps';

register({ name: 'payment', create: createPayment });
