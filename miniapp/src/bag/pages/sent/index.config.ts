export default definePageConfig({ navigationBarTitleText: '已预约寄出' });
