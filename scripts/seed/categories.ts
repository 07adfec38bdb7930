/**
 * The seed category tree: departments (level 1), aisles (level 2) and shelves (level 3), modelled on
 * the aisles of Vietnamese supermarkets (Bách Hóa Xanh, Co.opmart, WinMart). Some departments go
 * straight to shelves, so the tree has 2–3 levels. Products are only filed under leaves.
 */

/** One category of the seed tree; `parent_id` is null for a department. */
export interface SeedCategory {
  id: string;
  parent_id: string | null;
  name_en: string;
  name_vi: string;
  position: number;
}

type Node = readonly [id: string, name_vi: string, name_en: string, children?: readonly Node[]];

// prettier-ignore
const TREE: readonly Node[] = [
  ['rau-cu-qua', 'Rau củ quả', 'Fruit & Vegetables', [
    ['rau-cu', 'Rau củ', 'Vegetables', [
      ['rau-la', 'Rau lá', 'Leafy Greens'],
      ['rau-thom', 'Rau thơm', 'Fresh Herbs'],
      ['hanh-toi-gung-ot', 'Hành, tỏi, gừng, ớt', 'Onions, Garlic, Ginger & Chillies'],
      ['cu', 'Củ', 'Root Vegetables'],
      ['rau-an-qua', 'Rau ăn quả', 'Fruiting Vegetables'],
      ['nam-tuoi', 'Nấm tươi', 'Fresh Mushrooms'],
      ['rau-cu-so-che', 'Rau củ sơ chế', 'Prepared Vegetables'],
    ]],
    ['trai-cay', 'Trái cây', 'Fruit', [
      ['trai-cay-nhiet-doi', 'Trái cây nhiệt đới', 'Tropical Fruit'],
      ['cam-quyt-buoi', 'Cam, quýt, bưởi', 'Citrus'],
      ['trai-cay-nhap-khau', 'Trái cây nhập khẩu', 'Imported Fruit'],
      ['dua', 'Dưa các loại', 'Melons'],
      ['trai-cay-cat-san', 'Trái cây cắt sẵn', 'Cut Fruit'],
    ]],
  ]],
  ['thit-ca-trung', 'Thịt, cá, trứng', 'Meat, Fish & Eggs', [
    ['thit', 'Thịt tươi', 'Fresh Meat', [
      ['thit-heo', 'Thịt heo', 'Pork'],
      ['thit-bo', 'Thịt bò', 'Beef'],
      ['thit-ga', 'Thịt gà', 'Chicken'],
      ['thit-vit', 'Vịt, ngan, chim', 'Duck & Other Poultry'],
    ]],
    ['hai-san', 'Hải sản', 'Seafood', [
      ['ca-tuoi', 'Cá tươi', 'Fresh Fish'],
      ['tom', 'Tôm', 'Prawns & Shrimp'],
      ['muc-bach-tuoc', 'Mực, bạch tuộc', 'Squid & Octopus'],
      ['cua-ghe', 'Cua, ghẹ', 'Crab'],
      ['ngheu-so-oc', 'Nghêu, sò, ốc', 'Clams & Shellfish'],
    ]],
    ['trung', 'Trứng', 'Eggs', [
      ['trung-ga', 'Trứng gà', 'Chicken Eggs'],
      ['trung-vit-cut', 'Trứng vịt, trứng cút', 'Duck & Quail Eggs'],
    ]],
    ['thit-che-bien', 'Thịt chế biến', 'Processed Meat', [
      ['gio-cha', 'Giò, chả', 'Vietnamese Pork Rolls'],
      ['xuc-xich', 'Xúc xích', 'Sausages'],
      ['thit-nguoi', 'Thịt nguội, thịt xông khói', 'Ham, Bacon & Cold Cuts'],
      ['lap-xuong', 'Lạp xưởng', 'Chinese Sausage'],
      ['thit-uop-san', 'Thịt tẩm ướp', 'Marinated Meat'],
    ]],
  ]],
  ['dau-phu-do-chay', 'Đậu phụ & đồ chay', 'Tofu & Vegetarian', [
    ['dau-phu', 'Đậu phụ', 'Tofu'],
    ['do-chay', 'Đồ chay chế biến', 'Vegetarian Foods'],
  ]],
  ['mon-an-san', 'Món ăn chế biến sẵn', 'Ready Meals & Deli', [
    ['kim-chi-dua-muoi', 'Kim chi, dưa muối', 'Kimchi & Pickles'],
    ['banh-bao-xiu-mai', 'Bánh bao, xíu mại', 'Steamed Buns & Meatballs'],
    ['mon-an-nau-san', 'Món ăn nấu sẵn', 'Ready-to-Eat Meals'],
    ['bun-pho-tuoi', 'Bún, phở, bánh tươi', 'Fresh Rice Noodles'],
  ]],
  ['banh-mi-banh-ngot', 'Bánh mì & bánh tươi', 'Bakery', [
    ['banh-mi', 'Bánh mì', 'Bread'],
    ['banh-ngot', 'Bánh ngọt', 'Cakes & Pastries'],
    ['banh-truyen-thong', 'Bánh truyền thống', 'Traditional Cakes'],
  ]],
  ['sua', 'Sữa & sản phẩm từ sữa', 'Dairy', [
    ['sua-nuoc', 'Sữa nước', 'Liquid Milk', [
      ['sua-tuoi', 'Sữa tươi', 'Fresh Milk'],
      ['sua-dau-nanh', 'Sữa đậu nành', 'Soy Milk'],
      ['sua-hat', 'Sữa hạt', 'Nut & Oat Milk'],
      ['sua-dac', 'Sữa đặc', 'Condensed Milk'],
    ]],
    ['sua-chua-nhom', 'Sữa chua', 'Yogurt', [
      ['sua-chua-an', 'Sữa chua ăn', 'Spoonable Yogurt'],
      ['sua-chua-uong', 'Sữa chua uống', 'Drinking Yogurt'],
    ]],
    ['bo-pho-mai', 'Bơ, phô mai, kem sữa', 'Butter, Cheese & Cream', [
      ['bo', 'Bơ', 'Butter'],
      ['pho-mai', 'Phô mai', 'Cheese'],
      ['kem-sua', 'Kem sữa', 'Cream'],
    ]],
    ['sua-bot', 'Sữa bột người lớn', 'Adult Milk Powder'],
  ]],
  ['gao-mi-bot', 'Gạo, mì, bột', 'Rice, Noodles & Flour', [
    ['gao', 'Gạo', 'Rice', [
      ['gao-thom', 'Gạo thơm', 'Fragrant Rice'],
      ['gao-nep', 'Gạo nếp', 'Glutinous Rice'],
      ['gao-lut', 'Gạo lứt & gạo dinh dưỡng', 'Brown & Specialty Rice'],
    ]],
    ['mi-bun-pho', 'Mì, bún, phở', 'Noodles', [
      ['mi-goi', 'Mì gói', 'Instant Noodles'],
      ['pho-chao-an-lien', 'Phở, cháo ăn liền', 'Instant Pho & Porridge'],
      ['bun-pho-kho', 'Bún, phở, hủ tiếu khô', 'Dried Rice Noodles'],
      ['mien-mi-kho', 'Miến, mì khô', 'Glass & Egg Noodles'],
      ['mi-y-nui', 'Mì Ý, nui', 'Pasta'],
    ]],
    ['bot', 'Bột', 'Flour', [
      ['bot-mi', 'Bột mì', 'Wheat Flour'],
      ['bot-nang-bot-gao', 'Bột năng, bột gạo', 'Starches & Rice Flour'],
      ['bot-chien', 'Bột chiên, bột làm bánh', 'Batter & Baking Mixes'],
    ]],
    ['ngu-coc-dau', 'Ngũ cốc, đậu hạt', 'Cereals, Beans & Grains', [
      ['dau-hat-kho', 'Đậu hạt khô', 'Dried Beans & Pulses'],
      ['ngu-coc-an-sang', 'Ngũ cốc ăn sáng', 'Breakfast Cereal'],
      ['yen-mach', 'Yến mạch, hạt dinh dưỡng', 'Oats & Superfood Seeds'],
    ]],
    ['do-kho', 'Đồ khô', 'Dried Goods', [
      ['nam-kho', 'Nấm khô', 'Dried Mushrooms'],
      ['hai-san-kho', 'Hải sản khô', 'Dried Seafood'],
      ['rong-bien-mang-kho', 'Rong biển, măng khô', 'Seaweed & Dried Bamboo Shoots'],
    ]],
  ]],
  ['gia-vi', 'Gia vị', 'Condiments & Spices', [
    ['nuoc-cham', 'Nước chấm, nước sốt', 'Sauces', [
      ['nuoc-mam', 'Nước mắm', 'Fish Sauce'],
      ['nuoc-tuong', 'Nước tương', 'Soy Sauce'],
      ['tuong-ot-tuong-ca', 'Tương ớt, tương cà', 'Chilli & Tomato Sauce'],
      ['dau-hao', 'Dầu hào', 'Oyster Sauce'],
      ['mam', 'Mắm các loại', 'Fermented Pastes'],
      ['sot-uop', 'Sốt gia vị, sốt ướp', 'Cooking Sauces & Marinades'],
      ['mayonnaise', 'Mayonnaise, sốt salad', 'Mayonnaise & Dressings'],
    ]],
    ['dau-an', 'Dầu ăn', 'Cooking Oil', [
      ['dau-thuc-vat', 'Dầu thực vật', 'Vegetable Oil'],
      ['dau-dac-biet', 'Dầu ô liu, dầu mè, dầu dừa', 'Olive & Specialty Oils'],
    ]],
    ['duong-muoi-hat-nem', 'Đường, muối, hạt nêm', 'Sugar, Salt & Seasoning', [
      ['duong', 'Đường', 'Sugar'],
      ['muoi', 'Muối', 'Salt'],
      ['hat-nem', 'Hạt nêm', 'Seasoning Powder'],
      ['bot-ngot', 'Bột ngọt, bột canh', 'MSG & Seasoned Salt'],
    ]],
    ['gia-vi-kho', 'Gia vị khô', 'Spices', [
      ['tieu-ot-bot', 'Tiêu, ớt bột, quế hồi', 'Pepper & Dried Spices'],
      ['gia-vi-nau-san', 'Gia vị nấu sẵn', 'Spice Mixes'],
      ['giam', 'Giấm', 'Vinegar'],
    ]],
    ['mat-ong-mut-phet', 'Mật ong, mứt phết', 'Honey & Spreads'],
  ]],
  ['do-uong', 'Đồ uống', 'Beverages', [
    ['nuoc-giai-khat', 'Nước giải khát', 'Soft Drinks', [
      ['nuoc-ngot', 'Nước ngọt có ga', 'Carbonated Drinks'],
      ['nuoc-suoi', 'Nước suối, nước khoáng', 'Water'],
      ['nuoc-tang-luc', 'Nước tăng lực', 'Energy Drinks'],
      ['tra-dong-chai', 'Trà đóng chai', 'Bottled Tea'],
      ['nuoc-trai-cay', 'Nước trái cây', 'Juice'],
      ['nuoc-bu-khoang', 'Nước bù khoáng, nước dừa', 'Sports Drinks & Coconut Water'],
    ]],
    ['ca-phe-tra', 'Cà phê, trà', 'Coffee & Tea', [
      ['ca-phe', 'Cà phê hạt, cà phê xay', 'Ground & Bean Coffee'],
      ['ca-phe-hoa-tan', 'Cà phê hòa tan', 'Instant Coffee'],
      ['tra', 'Trà', 'Tea'],
      ['ca-cao-lua-mach', 'Ca cao, thức uống lúa mạch', 'Cocoa & Malt Drinks'],
    ]],
  ]],
  ['bia-ruou', 'Bia, rượu', 'Beer & Wine', [
    ['bia', 'Bia', 'Beer'],
    ['bia-thu-cong', 'Bia thủ công', 'Craft Beer'],
    ['ruou-vang', 'Rượu vang', 'Wine'],
    ['ruou-manh', 'Rượu mạnh', 'Spirits'],
    ['ruou-trai-cay', 'Rượu trái cây, cider', 'Cider & Fruit Wine'],
  ]],
  ['banh-keo', 'Bánh kẹo', 'Snacks & Confectionery', [
    ['banh', 'Bánh', 'Biscuits & Cakes', [
      ['banh-quy', 'Bánh quy', 'Biscuits & Cookies'],
      ['banh-bong-lan', 'Bánh bông lan', 'Sponge Cakes'],
      ['banh-gao-banh-xop', 'Bánh gạo, bánh xốp', 'Rice Crackers & Wafers'],
    ]],
    ['keo-socola', 'Kẹo, sô cô la', 'Candy & Chocolate', [
      ['keo', 'Kẹo', 'Candy'],
      ['socola', 'Sô cô la', 'Chocolate'],
      ['keo-cao-su', 'Kẹo cao su, kẹo ngậm', 'Gum & Mints'],
    ]],
    ['snack-hat', 'Snack, hạt', 'Snacks & Nuts', [
      ['snack', 'Snack, bim bim', 'Chips & Crisps'],
      ['hat-dinh-duong', 'Hạt dinh dưỡng', 'Nuts & Seeds'],
      ['trai-cay-say', 'Trái cây sấy', 'Dried Fruit'],
      ['mut-o-mai', 'Mứt, ô mai', 'Candied Fruit'],
      ['kho-bo-kho-ga', 'Khô bò, khô gà', 'Jerky & Floss'],
    ]],
  ]],
  ['do-dong-lanh', 'Đồ đông lạnh', 'Frozen', [
    ['hai-san-dong-lanh', 'Hải sản đông lạnh', 'Frozen Seafood'],
    ['thit-dong-lanh', 'Thịt đông lạnh', 'Frozen Meat'],
    ['cha-gio-ha-cao', 'Chả giò, há cảo, sủi cảo', 'Frozen Spring Rolls & Dumplings'],
    ['vien-tha-lau', 'Viên thả lẩu', 'Hot Pot Balls'],
    ['rau-cu-dong-lanh', 'Rau củ đông lạnh', 'Frozen Vegetables'],
    ['khoai-tay-pizza', 'Khoai tây chiên, pizza', 'Frozen Fries & Pizza'],
    ['kem', 'Kem', 'Ice Cream'],
  ]],
  ['do-hop', 'Đồ hộp', 'Canned & Jarred', [
    ['ca-hop', 'Cá hộp', 'Canned Fish'],
    ['thit-hop-pate', 'Thịt hộp, pate', 'Canned Meat & Pâté'],
    ['rau-qua-dong-hop', 'Rau quả đóng hộp', 'Canned Fruit & Vegetables'],
    ['dua-mon-do-chua', 'Dưa món, đồ chua', 'Jarred Pickles'],
    ['sup-yen', 'Súp, yến', "Soups & Bird's Nest"],
  ]],
  ['cham-soc-ca-nhan', 'Chăm sóc cá nhân', 'Personal Care', [
    ['cham-soc-toc', 'Chăm sóc tóc', 'Hair Care', [
      ['dau-goi', 'Dầu gội', 'Shampoo'],
      ['dau-xa', 'Dầu xả', 'Conditioner'],
      ['tao-kieu-toc', 'Gel, sáp vuốt tóc', 'Hair Styling'],
    ]],
    ['cham-soc-co-the', 'Chăm sóc cơ thể', 'Body Care', [
      ['sua-tam', 'Sữa tắm', 'Body Wash'],
      ['xa-phong', 'Xà bông, nước rửa tay', 'Soap & Hand Wash'],
      ['lan-khu-mui', 'Lăn, xịt khử mùi', 'Deodorant'],
      ['sua-duong-the', 'Sữa dưỡng thể', 'Body Lotion'],
    ]],
    ['cham-soc-rang-mieng', 'Chăm sóc răng miệng', 'Oral Care', [
      ['kem-danh-rang', 'Kem đánh răng', 'Toothpaste'],
      ['ban-chai', 'Bàn chải, chỉ nha khoa', 'Toothbrushes & Floss'],
      ['nuoc-suc-mieng', 'Nước súc miệng', 'Mouthwash'],
    ]],
    ['cham-soc-da', 'Chăm sóc da', 'Skin Care', [
      ['sua-rua-mat', 'Sữa rửa mặt', 'Facial Cleanser'],
      ['kem-chong-nang', 'Kem chống nắng', 'Sunscreen'],
      ['mat-na-duong-da', 'Mặt nạ, dưỡng da', 'Masks & Moisturisers'],
      ['tay-trang', 'Tẩy trang', 'Makeup Remover'],
    ]],
    ['ve-sinh-phu-nu', 'Băng vệ sinh, vệ sinh phụ nữ', 'Feminine Care'],
    ['dao-cao', 'Dao cạo, bọt cạo râu', 'Shaving'],
  ]],
  ['ve-sinh-nha-cua', 'Vệ sinh nhà cửa', 'Household', [
    ['giat-giu', 'Giặt giũ', 'Laundry', [
      ['bot-giat', 'Bột giặt', 'Laundry Powder'],
      ['nuoc-giat', 'Nước giặt', 'Liquid Detergent'],
      ['nuoc-xa-vai', 'Nước xả vải', 'Fabric Softener'],
      ['tay-quan-ao', 'Nước tẩy quần áo', 'Bleach & Stain Remover'],
    ]],
    ['lau-rua', 'Lau rửa', 'Cleaning', [
      ['nuoc-rua-chen', 'Nước rửa chén', 'Dish Soap'],
      ['nuoc-lau-san', 'Nước lau sàn', 'Floor Cleaner'],
      ['tay-rua-nha-tam', 'Tẩy rửa nhà tắm', 'Bathroom Cleaner'],
      ['nuoc-lau-kinh-bep', 'Nước lau kính, lau bếp', 'Glass & Kitchen Cleaner'],
    ]],
    ['giay', 'Giấy các loại', 'Paper Products', [
      ['giay-ve-sinh', 'Giấy vệ sinh', 'Toilet Paper'],
      ['khan-giay', 'Khăn giấy', 'Tissues & Napkins'],
      ['khan-uot', 'Khăn ướt', 'Wet Wipes'],
      ['giay-bep', 'Giấy lau bếp', 'Kitchen Towels'],
    ]],
    ['do-dung-gia-dinh', 'Đồ dùng gia đình', 'Household Supplies', [
      ['tui-rac', 'Túi đựng rác', 'Bin Bags'],
      ['mang-boc-hop-dung', 'Màng bọc, hộp đựng', 'Food Wraps & Containers'],
      ['diet-con-trung', 'Diệt côn trùng', 'Insect Control'],
      ['xit-phong', 'Xịt phòng, sáp thơm', 'Air Fresheners'],
      ['pin', 'Pin', 'Batteries'],
      ['dung-cu-ve-sinh', 'Găng tay, miếng rửa', 'Gloves & Sponges'],
    ]],
  ]],
  ['me-va-be', 'Mẹ & bé', 'Baby', [
    ['sua-cho-be', 'Sữa cho bé', 'Baby Milk', [
      ['sua-bot-tre-em', 'Sữa bột trẻ em', 'Infant Formula'],
      ['sua-pha-san', 'Sữa pha sẵn cho bé', "Ready-to-Drink Kids' Milk"],
      ['sua-bau', 'Sữa bầu', 'Maternity Milk'],
    ]],
    ['an-dam', 'Ăn dặm', 'Baby Food', [
      ['bot-an-dam', 'Bột ăn dặm', 'Baby Cereal'],
      ['chao-nghien-be', 'Cháo, trái cây nghiền cho bé', 'Baby Porridge & Purées'],
      ['banh-an-dam', 'Bánh ăn dặm', 'Baby Snacks'],
    ]],
    ['ta-bim', 'Tã, bỉm', 'Diapers', [
      ['ta-quan', 'Tã quần', 'Pull-up Diapers'],
      ['ta-dan', 'Tã dán', 'Tape Diapers'],
    ]],
    ['cham-soc-be', 'Chăm sóc bé', 'Baby Care', [
      ['sua-tam-be', 'Sữa tắm gội cho bé', 'Baby Bath'],
      ['khan-uot-be', 'Khăn ướt cho bé', 'Baby Wipes'],
      ['nuoc-giat-be', 'Nước giặt, xả cho bé', 'Baby Laundry'],
    ]],
  ]],
  ['thu-cung', 'Thú cưng', 'Pet', [
    ['thuc-an-cho', 'Thức ăn cho chó', 'Dog Food'],
    ['thuc-an-meo', 'Thức ăn cho mèo', 'Cat Food'],
    ['banh-thuong-thu-cung', 'Bánh thưởng, súp thưởng', 'Pet Treats'],
    ['cat-ve-sinh', 'Cát vệ sinh', 'Cat Litter'],
    ['ve-sinh-thu-cung', 'Vệ sinh thú cưng', 'Pet Grooming'],
  ]],
];

function flatten(nodes: readonly Node[], parent: string | null, out: SeedCategory[]): SeedCategory[] {
  nodes.forEach(([id, name_vi, name_en, children], i) => {
    out.push({ id, parent_id: parent, name_en, name_vi: name_vi.normalize('NFC'), position: i + 1 });
    if (children) flatten(children, id, out);
  });
  return out;
}

/** Every seed category, parents before children, positions 1-based among siblings. */
export const categories: SeedCategory[] = flatten(TREE, null, []);

/** Ids of the categories that have no children (products are filed only under these). */
export const leafIds: ReadonlySet<string> = new Set(
  categories.filter((c) => !categories.some((k) => k.parent_id === c.id)).map((c) => c.id),
);

const indexes = new WeakMap<readonly SeedCategory[], Map<string, SeedCategory>>();

/** The path root → `id` of a category (empty for an unknown id). */
export function pathTo(id: string, all: readonly SeedCategory[] = categories): SeedCategory[] {
  let byId = indexes.get(all);
  if (!byId) {
    byId = new Map(all.map((c) => [c.id, c]));
    indexes.set(all, byId);
  }
  const path: SeedCategory[] = [];
  for (let c = byId.get(id); c; c = c.parent_id === null ? undefined : byId.get(c.parent_id)) path.unshift(c);
  return path;
}
