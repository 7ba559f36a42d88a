export { get } from './get';
export { getMessages } from './get-messages';
export { search } from './search';
