/** The bilingual reasons a promotion was considered but not applied. */
import type { Reason } from './model';

const texts = {
  not_active: ['The promotion is not active.', 'Khuyến mãi không còn hoạt động.'],
  not_started: ['The promotion has not started yet.', 'Khuyến mãi chưa bắt đầu.'],
  ended: ['The promotion has ended.', 'Khuyến mãi đã kết thúc.'],
  coupon_missing: ['Its coupon code was not entered.', 'Chưa nhập mã giảm giá của khuyến mãi.'],
  customer_limit: [
    'You have already used this promotion the maximum number of times.',
    'Bạn đã dùng hết số lần áp dụng khuyến mãi này.',
  ],
  sign_in_required: ['Sign in to use this promotion.', 'Vui lòng đăng nhập để dùng khuyến mãi này.'],
  coupon_used: ['This code has already been used.', 'Mã này đã được sử dụng.'],
  coupon_duplicate: [
    'Another code for the same promotion is already entered.',
    'Đã nhập một mã khác của cùng khuyến mãi.',
  ],
  coupon_not_needed: [
    'This promotion applies without a code.',
    'Khuyến mãi này được áp dụng tự động, không cần mã.',
  ],
  unknown_code: ['This code does not exist.', 'Mã giảm giá không tồn tại.'],
  global_limit: ['The promotion has been fully redeemed.', 'Khuyến mãi đã hết lượt sử dụng.'],
  first_order: ['Only for a first order.', 'Chỉ áp dụng cho đơn hàng đầu tiên.'],
  staff: ['Only for staff.', 'Chỉ áp dụng cho nhân viên.'],
  dietary: ['Not for your dietary preferences.', 'Không áp dụng cho chế độ ăn của bạn.'],
  min_order_value: ['The order is below the minimum value.', 'Đơn hàng chưa đạt giá trị tối thiểu.'],
  min_quantity: ['Not enough qualifying items.', 'Chưa đủ số lượng sản phẩm áp dụng.'],
  no_target: ['No item in the cart qualifies.', 'Không có sản phẩm nào trong giỏ được áp dụng.'],
  no_discount: ['It would not lower the price of this cart.', 'Khuyến mãi không làm giảm giá giỏ hàng này.'],
  group_lost: [
    'Another promotion of the same kind gives you more.',
    'Một khuyến mãi cùng nhóm có lợi hơn cho bạn.',
  ],
  exclusive_lost: [
    'It cannot be combined, and the other promotions give you more.',
    'Không thể dùng chung, và các khuyến mãi khác có lợi hơn cho bạn.',
  ],
  exclusive_blocked: [
    'Another promotion that cannot be combined gives you more.',
    'Một khuyến mãi không dùng chung được có lợi hơn cho bạn.',
  ],
} as const;

/** A reason's code. */
export type ReasonCode = keyof typeof texts;

/** The bilingual reason for `code`. */
export function reason(code: ReasonCode): Reason {
  const [en, vi] = texts[code];
  return { code, en, vi };
}
