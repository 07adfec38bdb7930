/** The payment methods a customer may choose at checkout (the payment function's rails). */
export const RAILS = ['momo', 'vnpay', 'stripe', 'cod'] as const;
export type Rail = (typeof RAILS)[number];
