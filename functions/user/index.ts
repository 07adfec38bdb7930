/** Entry point of the user function (functions-framework target `user`). */
import { register } from '../shared/register';
import { createUser } from './deps';

register({ name: 'user', create: createUser });
