# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'territory_form.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_TerritoryForm(object):
    def setupUi(self, TerritoryForm):
        if not TerritoryForm.objectName():
            TerritoryForm.setObjectName(u"TerritoryForm")
        TerritoryForm.resize(1100, 560)
        self.mainLayout = QHBoxLayout(TerritoryForm)
        self.mainLayout.setObjectName(u"mainLayout")
        self.contractBox = QGroupBox(TerritoryForm)
        self.contractBox.setObjectName(u"contractBox")
        self.contractLayout = QVBoxLayout(self.contractBox)
        self.contractLayout.setObjectName(u"contractLayout")
        self.contractForm = QFormLayout()
        self.contractForm.setObjectName(u"contractForm")
        self.contractForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.contractCodeLabel = QLabel(self.contractBox)
        self.contractCodeLabel.setObjectName(u"contractCodeLabel")

        self.contractForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.contractCodeLabel)

        self.contract_code = QLabel(self.contractBox)
        self.contract_code.setObjectName(u"contract_code")
        self.contract_code.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.contractForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.contract_code)

        self.contractNameLabel = QLabel(self.contractBox)
        self.contractNameLabel.setObjectName(u"contractNameLabel")

        self.contractForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.contractNameLabel)

        self.contract_name = QPlainTextEdit(self.contractBox)
        self.contract_name.setObjectName(u"contract_name")
        self.contract_name.setMaximumSize(QSize(16777215, 60))
        self.contract_name.setTabChangesFocus(True)

        self.contractForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.contract_name)

        self.epciLabel = QLabel(self.contractBox)
        self.epciLabel.setObjectName(u"epciLabel")

        self.contractForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.epciLabel)

        self.epci = QLineEdit(self.contractBox)
        self.epci.setObjectName(u"epci")

        self.contractForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.epci)

        self.communeLabel = QLabel(self.contractBox)
        self.communeLabel.setObjectName(u"communeLabel")

        self.contractForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.communeLabel)

        self.commune = QLineEdit(self.contractBox)
        self.commune.setObjectName(u"commune")

        self.contractForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.commune)

        self.startYearLabel = QLabel(self.contractBox)
        self.startYearLabel.setObjectName(u"startYearLabel")

        self.contractForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.startYearLabel)

        self.start_year = QLineEdit(self.contractBox)
        self.start_year.setObjectName(u"start_year")
        self.start_year.setMaxLength(4)

        self.contractForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.start_year)

        self.endYearLabel = QLabel(self.contractBox)
        self.endYearLabel.setObjectName(u"endYearLabel")

        self.contractForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.endYearLabel)

        self.end_year = QLineEdit(self.contractBox)
        self.end_year.setObjectName(u"end_year")
        self.end_year.setMaxLength(4)

        self.contractForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.end_year)

        self.contractDescriptionLabel = QLabel(self.contractBox)
        self.contractDescriptionLabel.setObjectName(u"contractDescriptionLabel")

        self.contractForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.contractDescriptionLabel)

        self.contract_description = QPlainTextEdit(self.contractBox)
        self.contract_description.setObjectName(u"contract_description")
        self.contract_description.setTabChangesFocus(True)

        self.contractForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.contract_description)


        self.contractLayout.addLayout(self.contractForm)

        self.contractErrors = QLabel(self.contractBox)
        self.contractErrors.setObjectName(u"contractErrors")
        self.contractErrors.setWordWrap(True)

        self.contractLayout.addWidget(self.contractErrors)

        self.contractButtons = QHBoxLayout()
        self.contractButtons.setObjectName(u"contractButtons")
        self.contractSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.contractButtons.addItem(self.contractSpacer)

        self.contractSave = QPushButton(self.contractBox)
        self.contractSave.setObjectName(u"contractSave")

        self.contractButtons.addWidget(self.contractSave)


        self.contractLayout.addLayout(self.contractButtons)


        self.mainLayout.addWidget(self.contractBox)

        self.quartierBox = QGroupBox(TerritoryForm)
        self.quartierBox.setObjectName(u"quartierBox")
        self.quartierLayout = QVBoxLayout(self.quartierBox)
        self.quartierLayout.setObjectName(u"quartierLayout")
        self.quartierForm = QFormLayout()
        self.quartierForm.setObjectName(u"quartierForm")
        self.quartierForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.quartierChoiceLabel = QLabel(self.quartierBox)
        self.quartierChoiceLabel.setObjectName(u"quartierChoiceLabel")

        self.quartierForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.quartierChoiceLabel)

        self.quartier = QComboBox(self.quartierBox)
        self.quartier.setObjectName(u"quartier")

        self.quartierForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.quartier)

        self.quartierNameLabel = QLabel(self.quartierBox)
        self.quartierNameLabel.setObjectName(u"quartierNameLabel")

        self.quartierForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.quartierNameLabel)

        self.quartier_name = QLineEdit(self.quartierBox)
        self.quartier_name.setObjectName(u"quartier_name")

        self.quartierForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.quartier_name)

        self.statusLabel = QLabel(self.quartierBox)
        self.statusLabel.setObjectName(u"statusLabel")

        self.quartierForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.statusLabel)

        self.status = QLineEdit(self.quartierBox)
        self.status.setObjectName(u"status")

        self.quartierForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.status)

        self.communesLabel = QLabel(self.quartierBox)
        self.communesLabel.setObjectName(u"communesLabel")

        self.quartierForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.communesLabel)

        self.communes = QLineEdit(self.quartierBox)
        self.communes.setObjectName(u"communes")

        self.quartierForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.communes)

        self.surfaceLabel = QLabel(self.quartierBox)
        self.surfaceLabel.setObjectName(u"surfaceLabel")

        self.quartierForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.surfaceLabel)

        self.surface_ha = QLineEdit(self.quartierBox)
        self.surface_ha.setObjectName(u"surface_ha")

        self.quartierForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.surface_ha)

        self.populationLabel = QLabel(self.quartierBox)
        self.populationLabel.setObjectName(u"populationLabel")

        self.quartierForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.populationLabel)

        self.population = QLineEdit(self.quartierBox)
        self.population.setObjectName(u"population")

        self.quartierForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.population)

        self.quartierDescriptionLabel = QLabel(self.quartierBox)
        self.quartierDescriptionLabel.setObjectName(u"quartierDescriptionLabel")

        self.quartierForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.quartierDescriptionLabel)

        self.quartier_description = QPlainTextEdit(self.quartierBox)
        self.quartier_description.setObjectName(u"quartier_description")
        self.quartier_description.setTabChangesFocus(True)

        self.quartierForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.quartier_description)


        self.quartierLayout.addLayout(self.quartierForm)

        self.quartierErrors = QLabel(self.quartierBox)
        self.quartierErrors.setObjectName(u"quartierErrors")
        self.quartierErrors.setWordWrap(True)

        self.quartierLayout.addWidget(self.quartierErrors)

        self.quartierButtons = QHBoxLayout()
        self.quartierButtons.setObjectName(u"quartierButtons")
        self.quartierSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.quartierButtons.addItem(self.quartierSpacer)

        self.quartierSave = QPushButton(self.quartierBox)
        self.quartierSave.setObjectName(u"quartierSave")

        self.quartierButtons.addWidget(self.quartierSave)


        self.quartierLayout.addLayout(self.quartierButtons)


        self.mainLayout.addWidget(self.quartierBox)

#if QT_CONFIG(shortcut)
        self.contractNameLabel.setBuddy(self.contract_name)
        self.epciLabel.setBuddy(self.epci)
        self.communeLabel.setBuddy(self.commune)
        self.startYearLabel.setBuddy(self.start_year)
        self.endYearLabel.setBuddy(self.end_year)
        self.contractDescriptionLabel.setBuddy(self.contract_description)
        self.quartierChoiceLabel.setBuddy(self.quartier)
        self.quartierNameLabel.setBuddy(self.quartier_name)
        self.statusLabel.setBuddy(self.status)
        self.communesLabel.setBuddy(self.communes)
        self.surfaceLabel.setBuddy(self.surface_ha)
        self.populationLabel.setBuddy(self.population)
        self.quartierDescriptionLabel.setBuddy(self.quartier_description)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(TerritoryForm)

        QMetaObject.connectSlotsByName(TerritoryForm)
    # setupUi

    def retranslateUi(self, TerritoryForm):
        self.contractBox.setTitle(QCoreApplication.translate("TerritoryForm", u"Contrat", None))
        self.contractCodeLabel.setText(QCoreApplication.translate("TerritoryForm", u"Code", None))
        self.contractNameLabel.setText(QCoreApplication.translate("TerritoryForm", u"&Intitul\u00e9 *", None))
        self.epciLabel.setText(QCoreApplication.translate("TerritoryForm", u"&EPCI", None))
        self.communeLabel.setText(QCoreApplication.translate("TerritoryForm", u"C&ommune", None))
        self.startYearLabel.setText(QCoreApplication.translate("TerritoryForm", u"&Premi\u00e8re ann\u00e9e", None))
        self.endYearLabel.setText(QCoreApplication.translate("TerritoryForm", u"&Derni\u00e8re ann\u00e9e", None))
        self.contractDescriptionLabel.setText(QCoreApplication.translate("TerritoryForm", u"Descrip&tion", None))
        self.contractSave.setText(QCoreApplication.translate("TerritoryForm", u"Enregistrer le contrat", None))
        self.quartierBox.setTitle(QCoreApplication.translate("TerritoryForm", u"Quartier", None))
        self.quartierChoiceLabel.setText(QCoreApplication.translate("TerritoryForm", u"&Quartier", None))
        self.quartierNameLabel.setText(QCoreApplication.translate("TerritoryForm", u"&Nom *", None))
        self.statusLabel.setText(QCoreApplication.translate("TerritoryForm", u"&Statut", None))
        self.communesLabel.setText(QCoreApplication.translate("TerritoryForm", u"Co&mmunes", None))
        self.surfaceLabel.setText(QCoreApplication.translate("TerritoryForm", u"S&urface (ha)", None))
        self.populationLabel.setText(QCoreApplication.translate("TerritoryForm", u"Popu&lation", None))
        self.quartierDescriptionLabel.setText(QCoreApplication.translate("TerritoryForm", u"Desc&ription", None))
        self.quartierSave.setText(QCoreApplication.translate("TerritoryForm", u"Enregistrer le quartier", None))
        pass
    # retranslateUi

