export default definePageConfig({ navigationBarTitleText: '预约网点办理' });
