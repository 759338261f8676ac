export default definePageConfig({ navigationBarTitleText: '政邮通' });
