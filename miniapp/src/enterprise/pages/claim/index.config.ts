export default definePageConfig({ navigationBarTitleText: '邮寄申领' });
