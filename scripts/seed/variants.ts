/**
 * Shared variant groups: the words shelf labels add to an item name in both languages, and what
 * they change (dietary labels, price, shelf life, origin). A group whose first option is ["", ""]
 * may be left out of the name.
 */
import type { VariantOption } from './types';

const PLAIN: VariantOption = ['', ''];
const ORGANIC: VariantOption = ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.6 }];
const SUGAR_FREE: VariantOption = ['không đường', 'Unsweetened', { diet: ['sugar-free'] }];

/** Variant groups by key, referenced from the vocabulary tables. */
// prettier-ignore
export const VARIANT_GROUPS: Record<string, readonly VariantOption[]> = {
  vegOrigin: [PLAIN, ['Đà Lạt', 'Da Lat'], ['Lâm Đồng', 'Lam Dong'], ['Củ Chi', 'Cu Chi'], ['Mộc Châu', 'Moc Chau']],
  vegCert: [PLAIN, ['VietGAP', 'VietGAP', { price: 1.15 }], ORGANIC],
  fruitOrigin: [PLAIN, ['Tiền Giang', 'Tien Giang'], ['Bến Tre', 'Ben Tre'], ['Đồng Tháp', 'Dong Thap'], ['Vĩnh Long', 'Vinh Long'], ['Đắk Lắk', 'Dak Lak'], ['Bình Thuận', 'Binh Thuan']],
  fruitGrade: [PLAIN, ['loại 1', 'Grade 1', { price: 1.2 }], ['size lớn', 'Large', { price: 1.3 }], ['VietGAP', 'VietGAP', { price: 1.15 }]],
  importOrigin: [
    ['Mỹ', 'US', { origin: 'us' }], ['New Zealand', 'New Zealand', { origin: 'nz', price: 1.1 }], ['Úc', 'Australian', { origin: 'au', price: 1.1 }],
    ['Nam Phi', 'South African', { origin: 'za', price: 0.9 }], ['Chile', 'Chilean', { origin: 'cl', price: 0.9 }], ['Hàn Quốc', 'Korean', { origin: 'kr', price: 1.3 }],
    ['Nhật Bản', 'Japanese', { origin: 'jp', price: 1.8 }],
  ],
  porkBreed: [PLAIN, ['heo đen', 'Black Pig', { price: 1.3 }], ['heo thảo mộc', 'Herb-fed', { price: 1.2 }], ['heo sạch', 'Clean-fed', { price: 1.1 }]],
  meatCut: [PLAIN, ['cắt lát', 'Sliced'], ['nguyên miếng', 'Whole Piece'], ['thái hạt lựu', 'Diced']],
  beefOrigin: [PLAIN, ['Úc', 'Australian', { origin: 'au', price: 1.5 }], ['Mỹ', 'US', { origin: 'us', price: 1.7 }], ['Wagyu Úc', 'Australian Wagyu', { origin: 'au', price: 3 }]],
  beefCut: [PLAIN, ['cắt lát', 'Sliced'], ['nguyên tảng', 'Whole Cut'], ['cắt khối', 'Cubed']],
  chickenType: [PLAIN, ['thả vườn', 'Free-range', { price: 1.4 }], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.8 }], ['không kháng sinh', 'Antibiotic-free', { price: 1.2 }]],
  fishPrep: [PLAIN, ['làm sạch', 'Cleaned', { price: 1.1 }], ['cắt khúc', 'Steaks', { price: 1.1, after: true }], ['phi lê', 'Fillet', { price: 1.35, after: true }]],
  shrimpSize: [PLAIN, ['size lớn', 'Large', { price: 1.25 }], ['size vừa', 'Medium'], ['size 20–30 con/kg', '20–30 per kg', { price: 1.4 }]],
  seafoodPrep: [PLAIN, ['làm sạch', 'Cleaned', { price: 1.1 }], ['size lớn', 'Large', { price: 1.2 }]],
  wildFarmed: [PLAIN, ['tự nhiên', 'Wild-caught', { price: 1.4 }], ['nuôi', 'Farmed', { price: 0.9 }]],
  seaOrigin: [PLAIN, ['Cà Mau', 'Ca Mau'], ['Phú Quốc', 'Phu Quoc', { price: 1.15 }], ['Nha Trang', 'Nha Trang', { price: 1.1 }], ['Vũng Tàu', 'Vung Tau'], ['Phan Thiết', 'Phan Thiet']],
  liveState: [PLAIN, ['tươi sống', 'Live', { price: 1.15 }], ['hấp sẵn', 'Steamed']],
  eggType: [PLAIN, ['omega 3', 'Omega-3', { price: 1.4 }], ['DHA', 'DHA', { price: 1.4 }], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.8 }], ['thả vườn', 'Free-range', { price: 1.3 }]],
  sausageFlavour: [PLAIN, ['xông khói', 'Smoked'], ['tiêu đen', 'Black Pepper'], ['cay', 'Spicy'], ['tỏi', 'Garlic']],
  milkProcess: [['tiệt trùng', 'UHT'], ['thanh trùng', 'Pasteurised', { storage: 'chilled', shelf: 10 }]],
  milkSugar: [['có đường', 'Sweetened'], ['ít đường', 'Less Sugar'], SUGAR_FREE],
  milkExtra: [PLAIN, ['ít béo', 'Low-fat'], ['tách béo', 'Skimmed'], ORGANIC, ['không lactose', 'Lactose-free', { diet: ['lactose-free'], price: 1.2 }]],
  milkFlavour: [PLAIN, ['hương dâu', 'Strawberry'], ['sô cô la', 'Chocolate'], ['hương vani', 'Vanilla']],
  soyFlavour: [PLAIN, ['nguyên chất', 'Original'], ['ít đường', 'Less Sugar'], SUGAR_FREE, ['canxi', 'High-calcium'], ['óc chó', 'Walnut'], ['mè đen', 'Black Sesame']],
  nutMilkSugar: [PLAIN, ['ít đường', 'Less Sugar'], SUGAR_FREE, ORGANIC],
  yogurtSugar: [['có đường', 'Sweetened'], ['ít đường', 'Less Sugar'], SUGAR_FREE],
  yogurtFlavour: [PLAIN, ['nha đam', 'Aloe Vera'], ['dâu', 'Strawberry'], ['việt quất', 'Blueberry'], ['trái cây', 'Mixed Fruit'], ['lựu đỏ', 'Pomegranate'], ['chanh dây', 'Passion Fruit']],
  drinkYogurtFlavour: [PLAIN, ['hương dâu', 'Strawberry'], ['hương cam', 'Orange'], ['việt quất', 'Blueberry'], ['ít đường', 'Less Sugar']],
  riceCrop: [PLAIN, ['vụ mới', 'New Crop'], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.5 }], ['đặc sản', 'Specialty', { price: 1.15 }]],
  noodleFlavour: [
    ['tôm chua cay', 'Hot & Sour Shrimp'], ['sườn heo', 'Pork Rib'], ['gà', 'Chicken'], ['bò hầm', 'Beef Stew'], ['lẩu thái', 'Tom Yum'],
    ['kim chi', 'Kimchi'], ['tôm hùm', 'Lobster'], ['chay rau nấm', 'Vegetarian Mushroom', { diet: ['vegetarian'] }], ['cua', 'Crab'], ['sa tế hành', 'Satay Onion'],
  ],
  dryNoodleFlavour: [['xào bò', 'Stir-fried Beef'], ['xào tôm', 'Stir-fried Shrimp'], ['trộn cay', 'Spicy'], ['sốt tương đen', 'Black Bean Sauce']],
  ramenFlavour: [['cay', 'Spicy'], ['gà cay', 'Hot Chicken'], ['phô mai', 'Cheese'], ['tương đen', 'Jjajang'], ['hải sản', 'Seafood']],
  noodleWidth: [PLAIN, ['sợi nhỏ', 'Thin'], ['sợi vừa', 'Medium'], ['sợi lớn', 'Wide'], ORGANIC],
  pastaType: [PLAIN, ['nguyên cám', 'Whole Wheat'], ['rau củ', 'Vegetable'], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.5 }]],
  fishSauceType: [PLAIN, ['cá cơm', 'Anchovy'], ['Phú Quốc', 'Phu Quoc', { price: 1.3 }], ['nhĩ', 'First-press', { price: 1.6 }], ['tỏi ớt', 'Garlic Chilli'], ['giảm mặn', 'Reduced Salt']],
  fishSauceStrength: [PLAIN, ['30 độ đạm', '30°N', { price: 1.2 }], ['35 độ đạm', '35°N', { price: 1.4 }], ['40 độ đạm', '40°N', { price: 1.8 }]],
  soyType: [PLAIN, ['đậu nành', 'Soybean'], ['tỏi ớt', 'Garlic Chilli'], ['ít muối', 'Less Salt'], ['đậm đặc', 'Rich'], ['nấm', 'Mushroom']],
  chilliHeat: [PLAIN, ['cay', 'Hot'], ['siêu cay', 'Extra Hot'], ['ít cay', 'Mild']],
  oilType: [PLAIN, ['hướng dương', 'Sunflower'], ['gạo lứt', 'Rice Bran', { price: 1.3 }], ['hạt cải', 'Canola'], ['Omega 3-6-9', 'Omega 3-6-9', { price: 1.2 }], ['ô liu pha', 'Olive Blend', { price: 1.5 }]],
  iceCreamFlavour: [['vani', 'Vanilla'], ['sô cô la', 'Chocolate'], ['dâu', 'Strawberry'], ['dừa', 'Coconut'], ['trà xanh', 'Green Tea'], ['sầu riêng', 'Durian'], ['khoai môn', 'Taro'], ['cốm', 'Young Rice']],
  tunaStyle: [['ngâm dầu', 'in Oil', { after: true }], ['ngâm nước', 'in Spring Water', { after: true }], ['sốt cà', 'in Tomato Sauce', { after: true }], ['xốt ớt', 'in Chilli Sauce', { after: true }]],
  teaFlavour: [PLAIN, ['chanh', 'Lemon'], ['mật ong', 'Honey'], ['đào', 'Peach'], ['vải', 'Lychee'], ['ít đường', 'Less Sugar'], SUGAR_FREE],
  juiceType: [PLAIN, ['ép 100%', '100%', { price: 1.3 }], ['có tép', 'Pulpy'], ['không thêm đường', 'No Added Sugar']],
  coffeeBean: [PLAIN, ['Robusta', 'Robusta'], ['Arabica', 'Arabica', { price: 1.4 }], ['Culi', 'Peaberry', { price: 1.2 }], ['Moka', 'Moka', { price: 1.5 }], ['Cầu Đất', 'Cau Dat', { price: 1.5 }]],
  beerLine: [PLAIN, ['lager', 'Lager'], ['Special', 'Special', { price: 1.15 }], ['Export', 'Export'], ['Chill', 'Chill'], ['Crystal', 'Crystal'], ['Silver', 'Silver', { price: 1.1 }], ['không cồn', 'Alcohol-free']],
  biscuitFlavour: [PLAIN, ['sữa', 'Milk'], ['dừa', 'Coconut'], ['sô cô la', 'Chocolate'], ['mè', 'Sesame'], ['yến mạch', 'Oat'], ['hạt điều', 'Cashew']],
  cakeFlavour: [PLAIN, ['kem dâu', 'Strawberry Cream'], ['sô cô la', 'Chocolate'], ['bơ sữa', 'Butter Milk'], ['cam', 'Orange'], ['lá dứa', 'Pandan'], ['trà xanh', 'Matcha']],
  candyFlavour: [PLAIN, ['sữa', 'Milk'], ['trái cây', 'Fruit'], ['bạc hà', 'Mint'], ['gừng', 'Ginger'], ['me', 'Tamarind'], ['cà phê', 'Coffee']],
  chipFlavour: [['vị tự nhiên', 'Original'], ['vị tảo biển', 'Seaweed'], ['vị bò nướng', 'BBQ Beef'], ['vị phô mai', 'Cheese'], ['vị kem chua hành', 'Sour Cream & Onion'], ['vị cay', 'Spicy'], ['vị gà nướng', 'Roast Chicken'], ['vị mực', 'Squid']],
  nutRoast: [PLAIN, ['rang muối', 'Salted Roasted'], ['rang tỏi ớt', 'Garlic Chilli'], ['sấy mộc', 'Unsalted Roasted'], ['mật ong', 'Honey Roasted']],
  hairType: [PLAIN, ['sạch gàu', 'Anti-dandruff'], ['mượt tóc', 'Smooth & Silky'], ['ngăn rụng tóc', 'Anti-hairfall'], ['phục hồi hư tổn', 'Damage Repair'], ['bạc hà', 'Menthol'], ['bưởi', 'Pomelo']],
  bodyScent: [PLAIN, ['hoa hồng', 'Rose'], ['trà xanh', 'Green Tea'], ['bạc hà', 'Mint'], ['nghệ', 'Turmeric'], ['dưỡng ẩm', 'Moisturising'], ['bảo vệ vượt trội', 'Total Protect']],
  toothpasteType: [PLAIN, ['trắng răng', 'Whitening'], ['bảo vệ nướu', 'Gum Care'], ['than hoạt tính', 'Charcoal'], ['muối', 'Salt'], ['trà xanh', 'Green Tea'], ['chống ê buốt', 'Sensitive']],
  skinType: [PLAIN, ['cho da dầu', 'for Oily Skin', { after: true }], ['cho da nhạy cảm', 'for Sensitive Skin', { after: true }], ['ngừa mụn', 'Anti-acne'], ['sáng da', 'Brightening'], ['dưỡng ẩm', 'Hydrating']],
  laundryScent: [PLAIN, ['hương hoa', 'Floral'], ['hương nắng mai', 'Morning Fresh'], ['sạch khuẩn', 'Antibacterial'], ['hương lavender', 'Lavender']],
  laundryMachine: [['cửa trên', 'Top-load'], ['cửa trước', 'Front-load'], ['đậm đặc', 'Concentrated']],
  softenerScent: [['hương nắng mai', 'Sunrise Fresh'], ['hương hoa', 'Floral'], ['hương nước hoa', 'Perfume'], ['một lần xả', 'One Rinse'], ['hương ban mai', 'Morning Breeze']],
  dishScent: [PLAIN, ['hương chanh', 'Lemon'], ['trà xanh', 'Green Tea'], ['muối khoáng', 'Mineral Salt'], ['gừng', 'Ginger'], ['thiên nhiên', 'Natural']],
  floorScent: [PLAIN, ['hương lily', 'Lily'], ['hương sả chanh', 'Lemongrass'], ['hương hoa hạ', 'Summer Flowers'], ['hương bạc hà', 'Mint']],
  paperPly: [PLAIN, ['2 lớp', '2-ply'], ['3 lớp', '3-ply'], ['không lõi', 'Coreless'], ['cao cấp', 'Premium', { price: 1.3 }]],
};
