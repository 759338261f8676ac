export default definePageConfig({ navigationBarTitleText: '快递袋收件' });
