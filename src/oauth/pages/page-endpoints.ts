/** @module The hosted pages of a domain (OML §5): sign-in, sign-up and confirmation, password reset, the error page, the stylesheet. */
import type { Services } from '../../operations/services.ts';
import type { EndpointTable } from '../endpoint.ts';
import { confirmEndpoint, resendCodeEndpoint } from './confirm-page.ts';
import { errorEndpoint } from './error-page.ts';
import { confirmForgotPasswordEndpoint, forgotPasswordEndpoint } from './forgot-password-page.ts';
import { loginEndpoint } from './login-page.ts';
import { signUpEndpoint } from './signup-page.ts';
import { stylesheetEndpoint } from './stylesheet.ts';

export function pageEndpoints(s: Services): EndpointTable {
  return {
    '/login': loginEndpoint(s),
    '/signup': signUpEndpoint(s),
    '/confirm': confirmEndpoint(s),
    '/resendcode': resendCodeEndpoint(s),
    '/forgotPassword': forgotPasswordEndpoint(s),
    '/confirmforgotPassword': confirmForgotPasswordEndpoint(s),
    '/error': errorEndpoint,
    '/static/style.css': stylesheetEndpoint(s),
  };
}
